using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A list of <see cref="PodGroup"/>, as returned by the API server.</summary>
[KubernetesEntity(Group = PodGroup.KubeGroup, ApiVersion = PodGroup.KubeApiVersion, Kind = "PodGroupList", PluralName = PodGroup.KubePluralName)]
public sealed class PodGroupList : IKubernetesObject<V1ListMeta>, IItems<PodGroup>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = PodGroup.KubeGroup + "/" + PodGroup.KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PodGroupList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<PodGroup> Items { get; set; } = [];
}
