using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A DRA allocation the binder writes into one of the pod's resource claims.</summary>
public sealed class ResourceClaimAllocation
{
    /// <summary>The pod's claim name (<c>spec.resourceClaims[].name</c>).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>A <c>resource.k8s.io/v1</c> AllocationResult, the type KAI's CRD embeds.</summary>
    [JsonPropertyName("allocation")]
    public V1AllocationResult? Allocation { get; set; }
}
