using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubernetes' Deployment controller, simplified: the current pod template runs as a ReplicaSet named
/// <c>&lt;deployment&gt;-&lt;template hash&gt;</c> (label <c>pod-template-hash</c>) with <c>replicas</c> pods; a changed
/// template gets a new ReplicaSet and the old ones are scaled to zero at once (as the Recreate strategy does; a
/// rolling update's gradual hand-over is not modelled).
/// </summary>
internal sealed class DeploymentController : IWorkloadController
{
    public const string TemplateHashLabel = "pod-template-hash";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.Deployment];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var deployment = (V1Deployment)owner;
        var hash = TemplateHash(deployment.Spec.Template);
        var name = $"{deployment.Metadata.Name}-{hash}";
        var replicas = deployment.Spec.Paused == true ? (int?)null : deployment.Spec.Replicas ?? 1;
        var sets = context.Children<V1ReplicaSet>(deployment);
        var current = sets.Find(s => s.Metadata.Name == name);
        if (current is null && replicas is not null)
        {
            current = await context.CreateAsync(NewReplicaSet(deployment, name, hash, replicas.Value)).ConfigureAwait(false);
        }
        else if (current is not null && replicas is { } wanted && current.Spec.Replicas != wanted)
        {
            await context.ReplaceAsync(current with { Spec = current.Spec with { Replicas = wanted } }).ConfigureAwait(false);
        }

        foreach (var old in sets.Where(s => s.Metadata.Name != name && s.Spec.Replicas != 0))
        {
            await context.ReplaceAsync(old with { Spec = old.Spec with { Replicas = 0 } }).ConfigureAwait(false);
        }

        var statuses = sets.Select(s => s.Status ?? new V1ReplicaSetStatus()).ToList();
        var available = statuses.Sum(s => s.AvailableReplicas ?? 0);
        var status = (deployment.Status ?? new V1DeploymentStatus()) with
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = statuses.Sum(s => s.Replicas),
            UpdatedReplicas = current?.Status?.Replicas ?? 0,
            ReadyReplicas = statuses.Sum(s => s.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, (deployment.Spec.Replicas ?? 1) - available),
        };
        await context.WriteStatusAsync(deployment, deployment with { Status = status }).ConfigureAwait(false);
    }

    private static V1ReplicaSet NewReplicaSet(V1Deployment deployment, string name, string hash, int replicas)
    {
        var template = deployment.Spec.Template;
        var labels = PodTemplates.Merge(template.Metadata?.Labels, new Dictionary<string, string> { [TemplateHashLabel] = hash })!;
        var selector = deployment.Spec.Selector ?? new V1LabelSelector();
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = new Dictionary<string, string> { ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = [PodTemplates.ControllerReference(deployment, WorkloadKinds.Deployment)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                Selector = selector with { MatchLabels = PodTemplates.Merge(selector.MatchLabels, new Dictionary<string, string> { [TemplateHashLabel] = hash }) },
                Template = new V1PodTemplateSpec { Metadata = (template.Metadata ?? new V1ObjectMeta()) with { Labels = labels }, Spec = template.Spec },
            },
        };
    }

    /// <summary>A short, stable hash of the pod template, made of characters Kubernetes uses in generated names.</summary>
    public static string TemplateHash(V1PodTemplateSpec template)
    {
        var text = KubernetesJson.Serialize(template);
        uint hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(hash % (uint)Alphabet.Length)];
            hash = (hash / (uint)Alphabet.Length) ^ (hash * 31);
        }

        return new string(chars);
    }
}
