using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Simulation.Workloads;

/// <summary>
/// Pods (and other children) as an operator stamps them from a template: the template's labels and annotations
/// plus the operator's own, in the owner's namespace, controlled by the owner.
/// </summary>
internal static class PodTemplates
{
    /// <summary>A controller owner reference to <paramref name="owner"/> of <paramref name="kind"/>, blocking its deletion.</summary>
    public static V1OwnerReference ControllerReference(IKubernetesObject<V1ObjectMeta> owner, KindKey kind) => new()
    {
        ApiVersion = kind.ApiVersion,
        Kind = kind.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <param name="template">
    /// The pod template; its spec's top level is copied (a caller may set a pod's own top-level fields, as a
    /// StatefulSet's hostname), its lists and nested objects are the template's — stored objects are never mutated —
    /// so the store shares one spec among a workload's equal pods (docs/performance.md, "The 140,000-pod peak, second
    /// look").
    /// </param>
    /// <param name="owner">The controlling owner.</param>
    /// <param name="ownerKind">The owner's kind.</param>
    /// <param name="name">A fixed name, or null to use <paramref name="generateName"/>.</param>
    /// <param name="generateName">A name prefix the cluster completes.</param>
    /// <param name="labels">Labels added to the template's.</param>
    /// <param name="annotations">Annotations added to the template's.</param>
    public static V1Pod Pod(
        V1PodTemplateSpec? template,
        IKubernetesObject<V1ObjectMeta> owner,
        KindKey ownerKind,
        string? name,
        string? generateName,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var spec = template?.Spec is { } templateSpec ? templateSpec with { } : new V1PodSpec { Containers = [] };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                GenerateName = name is null ? generateName : null,
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = Merge(template?.Metadata?.Labels, labels),
                Annotations = Merge(template?.Metadata?.Annotations, annotations),
                OwnerReferences = [ControllerReference(owner, ownerKind)],
            },
            Spec = spec,
        };
    }

    /// <summary><paramref name="first"/> overlaid with <paramref name="second"/>; null when both are empty.</summary>
    public static Dictionary<string, string>? Merge(IDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second)
    {
        if ((first is null || first.Count == 0) && (second is null || second.Count == 0))
        {
            return null;
        }

        var merged = new Dictionary<string, string>(first ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in second ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }
}
