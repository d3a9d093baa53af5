using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Workloads;

/// <summary>
/// The CustomResourceDefinitions of the third-party workload kinds (Kubeflow, Ray, JobSet, LeaderWorkerSet,
/// Knative Serving, and NVIDIA's ComputeDomain) that ship with this scheduler, so manifests of those kinds load without the user applying CRDs:
/// <c>kai simulate</c> reads them and <c>kai serve</c> serves them. Each kind is stored under its storage version
/// (see <see cref="WorkloadKinds"/>); objects of another served version are stored as the storage version, as an API
/// server without conversion webhooks stores them.
/// </summary>
public static class WorkloadDefinitions
{
    private static readonly Lazy<IReadOnlyList<V1CustomResourceDefinition>> Parsed = new(() => Load());

    /// <summary>The definitions, parsed once; shared, so treat them as read-only (copy before changing).</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> CustomResourceDefinitions => Parsed.Value;

    /// <summary>Registers every definition's storage version as a generic kind (kinds already registered are kept).</summary>
    public static void Register(KindRegistry kinds)
    {
        foreach (var crd in CustomResourceDefinitions)
        {
            var key = StorageKey(crd);
            if (!kinds.TryGet(key, out _))
            {
                var storage = crd.Spec.Versions.First(v => v.Storage);
                kinds.RegisterGeneric(key, crd.Spec.Names.Plural, crd.Spec.Scope == "Namespaced" ? KindScope.Namespaced : KindScope.Cluster, storage.Subresources?.Status is not null);
            }
        }
    }

    /// <summary>
    /// The kind objects of <paramref name="apiVersion"/> and <paramref name="kind"/> are stored as, when one of the
    /// definitions serves it (e.g. <c>kubeflow.org/v1 MPIJob</c> is stored as <c>kubeflow.org/v2beta1 MPIJob</c>).
    /// </summary>
    public static bool TryGetStorageKey(string apiVersion, string kind, out KindKey storage)
    {
        foreach (var crd in CustomResourceDefinitions)
        {
            if (crd.Spec.Names.Kind == kind && crd.Spec.Versions.Any(v => v.Served && crd.Spec.Group + "/" + v.Name == apiVersion))
            {
                storage = StorageKey(crd);
                return true;
            }
        }

        storage = default;
        return false;
    }

    /// <summary>The kind names the definitions serve (for "did you mean" hints).</summary>
    public static IEnumerable<(string ApiVersion, string Kind)> ServedKinds =>
        CustomResourceDefinitions.SelectMany(crd => crd.Spec.Versions.Where(v => v.Served).Select(v => (crd.Spec.Group + "/" + v.Name, crd.Spec.Names.Kind)));

    private static KindKey StorageKey(V1CustomResourceDefinition crd) =>
        new(crd.Spec.Group + "/" + crd.Spec.Versions.First(v => v.Storage).Name, crd.Spec.Names.Kind);

    private static List<V1CustomResourceDefinition> Load()
    {
        var assembly = typeof(WorkloadDefinitions).Assembly;
        var definitions = new List<V1CustomResourceDefinition>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("workloads/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing resource {name}");
            using var reader = new StreamReader(stream);
            definitions.Add(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(reader.ReadToEnd(), strict: true));
        }

        return definitions;
    }
}
