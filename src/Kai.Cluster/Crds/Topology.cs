using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A physical topology (<c>kai.scheduler/v1alpha1</c>, cluster-scoped): node-label levels, top-down.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class Topology : IKubernetesObject<V1ObjectMeta>, ISpec<TopologySpec>
{
    public const string KubeGroup = KaiApi.KaiGroup;
    public const string KubeApiVersion = KaiApi.TopologyVersion;
    public const string KubeKind = "Topology";
    public const string KubePluralName = "topologies";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    // Serialisers assign null for "metadata:" or "spec:" with no value; an empty object keeps the contract non-null.
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("spec")]
    public TopologySpec Spec { get; set => field = value ?? new(); } = new();
}
