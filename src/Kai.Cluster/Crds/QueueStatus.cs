using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>Observed state of a <see cref="Queue"/>, written by KAI's queue-controller.</summary>
public sealed class QueueStatus
{
    [JsonPropertyName("childQueues")]
    public IList<string>? ChildQueues { get; set; }

    [JsonPropertyName("allocated")]
    public IDictionary<string, ResourceQuantity>? Allocated { get; set; }

    [JsonPropertyName("allocatedNonPreemptible")]
    public IDictionary<string, ResourceQuantity>? AllocatedNonPreemptible { get; set; }

    [JsonPropertyName("requested")]
    public IDictionary<string, ResourceQuantity>? Requested { get; set; }

    [JsonPropertyName("conditions")]
    public IList<QueueCondition>? Conditions { get; set; }
}
