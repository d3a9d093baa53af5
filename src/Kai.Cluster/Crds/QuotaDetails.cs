using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>The queue's and the pod group's resources at the time a quota or limit blocked scheduling.</summary>
public sealed class QuotaDetails
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("queueRequestedResources")]
    public IDictionary<string, ResourceQuantity>? QueueRequestedResources { get; set; }

    [JsonPropertyName("queueDeservedResources")]
    public IDictionary<string, ResourceQuantity>? QueueDeservedResources { get; set; }

    [JsonPropertyName("queueAllocatedResources")]
    public IDictionary<string, ResourceQuantity>? QueueAllocatedResources { get; set; }

    [JsonPropertyName("queueAllocatedNonPreemptibleResources")]
    public IDictionary<string, ResourceQuantity>? QueueAllocatedNonPreemptibleResources { get; set; }

    [JsonPropertyName("queueResourceLimits")]
    public IDictionary<string, ResourceQuantity>? QueueResourceLimits { get; set; }

    [JsonPropertyName("podGroupRequestedResources")]
    public IDictionary<string, ResourceQuantity>? PodGroupRequestedResources { get; set; }

    [JsonPropertyName("podGroupRequestedNonPreemptibleResources")]
    public IDictionary<string, ResourceQuantity>? PodGroupRequestedNonPreemptibleResources { get; set; }
}
