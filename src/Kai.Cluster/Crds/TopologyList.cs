using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A list of <see cref="Topology"/>, as returned by the API server.</summary>
[KubernetesEntity(Group = Topology.KubeGroup, ApiVersion = Topology.KubeApiVersion, Kind = "TopologyList", PluralName = Topology.KubePluralName)]
public sealed class TopologyList : IKubernetesObject<V1ListMeta>, IItems<Topology>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Topology.KubeGroup + "/" + Topology.KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "TopologyList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Topology> Items { get; set; } = [];
}
