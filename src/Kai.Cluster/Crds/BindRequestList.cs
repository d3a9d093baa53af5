using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A list of <see cref="BindRequest"/>, as returned by the API server.</summary>
[KubernetesEntity(Group = BindRequest.KubeGroup, ApiVersion = BindRequest.KubeApiVersion, Kind = "BindRequestList", PluralName = BindRequest.KubePluralName)]
public sealed class BindRequestList : IKubernetesObject<V1ListMeta>, IItems<BindRequest>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = BindRequest.KubeGroup + "/" + BindRequest.KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "BindRequestList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<BindRequest> Items { get; set; } = [];
}
