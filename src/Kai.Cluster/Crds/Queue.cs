using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A KAI queue (<c>scheduling.run.ai/v2</c>, cluster-scoped): quota, over-quota weight and limit per resource.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class Queue : IKubernetesObject<V1ObjectMeta>, ISpec<QueueSpec>, IStatus<QueueStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.QueueVersion;
    public const string KubeKind = "Queue";
    public const string KubePluralName = "queues";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    // Serialisers assign null for "metadata:" or "spec:" with no value; an empty object keeps the contract non-null.
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("spec")]
    public QueueSpec Spec { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("status")]
    public QueueStatus? Status { get; set; }
}
