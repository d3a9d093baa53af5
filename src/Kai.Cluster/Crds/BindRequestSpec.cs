using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Desired state of a <see cref="BindRequest"/>.</summary>
public sealed class BindRequestSpec
{
    [JsonPropertyName("podName")]
    public string? PodName { get; set; }

    [JsonPropertyName("selectedNode")]
    public string? SelectedNode { get; set; }

    /// <summary><c>Regular</c>, <c>Fraction</c> or <c>MigInstance</c>.</summary>
    [JsonPropertyName("receivedResourceType")]
    public string? ReceivedResourceType { get; set; }

    [JsonPropertyName("receivedGPU")]
    public ReceivedGpu? ReceivedGPU { get; set; }

    /// <summary>GPU group names; only for <c>Fraction</c>.</summary>
    [JsonPropertyName("selectedGPUGroups")]
    public IList<string>? SelectedGPUGroups { get; set; }

    [JsonPropertyName("resourceClaimAllocations")]
    public IList<ResourceClaimAllocation>? ResourceClaimAllocations { get; set; }

    /// <summary>Retries before giving up; KAI's scheduler never sets it.</summary>
    [JsonPropertyName("backoffLimit")]
    public int? BackoffLimit { get; set; }
}
