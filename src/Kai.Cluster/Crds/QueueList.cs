using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A list of <see cref="Queue"/>, as returned by the API server.</summary>
[KubernetesEntity(Group = Queue.KubeGroup, ApiVersion = Queue.KubeApiVersion, Kind = "QueueList", PluralName = Queue.KubePluralName)]
public sealed class QueueList : IKubernetesObject<V1ListMeta>, IItems<Queue>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Queue.KubeGroup + "/" + Queue.KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "QueueList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Queue> Items { get; set; } = [];
}
