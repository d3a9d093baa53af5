using k8s;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Manifests;

/// <summary>The kinds the scheduler reads from manifests, by apiVersion and kind.</summary>
internal static class ManifestKinds
{
    public static IReadOnlyList<ManifestKind> All { get; } =
    [
        new("v1", V1Node.KubeKind, Namespaced: false, Read<V1Node>, NodeRules.ValidateRaw),
        new("v1", V1Pod.KubeKind, Namespaced: true, Read<V1Pod>, PodRules.ValidateRaw),
        new("scheduling.k8s.io/v1", V1PriorityClass.KubeKind, Namespaced: false, Read<V1PriorityClass>, PriorityClassRules.ValidateRaw),
        new(Queue.KubeGroup + "/" + Queue.KubeApiVersion, Queue.KubeKind, Namespaced: false, Read<Queue>, ValidateTyped: Typed<Queue>(QueueRules.Validate)),
        new(PodGroup.KubeGroup + "/" + PodGroup.KubeApiVersion, PodGroup.KubeKind, Namespaced: true, Read<PodGroup>, ValidateTyped: Typed<PodGroup>(PodGroupRules.Validate)),
        new(BindRequest.KubeGroup + "/" + BindRequest.KubeApiVersion, BindRequest.KubeKind, Namespaced: true, Read<BindRequest>),
        new(Topology.KubeGroup + "/" + Topology.KubeApiVersion, Topology.KubeKind, Namespaced: false, Read<Topology>, ValidateTyped: Typed<Topology>(TopologyRules.Validate)),
    ];

    public static ManifestKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    /// <summary>A handled kind of the same name under another apiVersion, for a "did you mean" hint.</summary>
    public static ManifestKind? FindByKindName(string kind) => All.FirstOrDefault(k => k.Kind == kind);

    private static IKubernetesObject<V1ObjectMeta> Read<T>(string yaml, bool strict)
        where T : IKubernetesObject<V1ObjectMeta> =>
        KubernetesYaml.Deserialize<T>(yaml, strict);

    private static Action<IKubernetesObject<V1ObjectMeta>, ValidationContext> Typed<T>(Action<T, ValidationContext> rule) =>
        (obj, context) => rule((T)obj, context);
}
