using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Cluster.Manifests;

/// <summary>The kinds the scheduler reads from manifests, by apiVersion and kind; keys and scopes come from <see cref="KaiKinds"/>.</summary>
internal static class ManifestKinds
{
    private static readonly KindRegistry Registry = KaiKinds.CreateRegistry();

    public static IReadOnlyList<ManifestKind> All { get; } =
    [
        Of<V1Node>(NodeRules.ValidateRaw),
        Of<V1Pod>(PodRules.ValidateRaw, Typed<V1Pod>(PodRules.Validate)),
        Of<V1PriorityClass>(PriorityClassRules.ValidateRaw),
        Of<V1Namespace>(),
        Of<Queue>(validateTyped: Typed<Queue>(QueueRules.Validate)),
        Of<PodGroup>(validateTyped: Typed<PodGroup>(PodGroupRules.Validate)),
        Of<BindRequest>(),
        Of<Topology>(validateTyped: Typed<Topology>(TopologyRules.Validate)),
    ];

    public static ManifestKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    /// <summary>A handled kind of the same name under another apiVersion, for a "did you mean" hint.</summary>
    public static ManifestKind? FindByKindName(string kind) => All.FirstOrDefault(k => k.Kind == kind);

    private static ManifestKind Of<T>(Action<ValidationContext>? validateRaw = null, Action<IKubernetesObject<V1ObjectMeta>, ValidationContext>? validateTyped = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(Registry.Get<T>(), Read<T>, validateRaw, validateTyped);

    private static IKubernetesObject<V1ObjectMeta> Read<T>(string yaml, bool strict)
        where T : IKubernetesObject<V1ObjectMeta> =>
        KubernetesYaml.Deserialize<T>(yaml, strict);

    private static Action<IKubernetesObject<V1ObjectMeta>, ValidationContext> Typed<T>(Action<T, ValidationContext> rule) =>
        (obj, context) => rule((T)obj, context);
}
