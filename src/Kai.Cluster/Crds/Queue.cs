using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A KAI queue (<c>scheduling.run.ai/v2</c>, cluster-scoped): quota, over-quota weight and limit per resource.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class Queue : CustomResource<QueueSpec>, IStatus<QueueStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.QueueVersion;
    public const string KubeKind = "Queue";
    public const string KubePluralName = "queues";

    public Queue()
        : base(KubeGroup, KubeApiVersion, KubeKind)
    {
    }

    [JsonPropertyName("status")]
    public QueueStatus? Status { get; set; }
}
