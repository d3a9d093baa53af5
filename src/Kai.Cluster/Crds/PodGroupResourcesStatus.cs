using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>Resources of a pod group's pods, written by KAI's podgroup-controller.</summary>
public sealed class PodGroupResourcesStatus
{
    [JsonPropertyName("allocated")]
    public IDictionary<string, ResourceQuantity>? Allocated { get; set; }

    [JsonPropertyName("allocatedNonPreemptible")]
    public IDictionary<string, ResourceQuantity>? AllocatedNonPreemptible { get; set; }

    [JsonPropertyName("requested")]
    public IDictionary<string, ResourceQuantity>? Requested { get; set; }
}
