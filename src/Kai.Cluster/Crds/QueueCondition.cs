using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>A condition in <see cref="QueueStatus.Conditions"/>.</summary>
public sealed class QueueCondition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("lastProbeTime")]
    public DateTime? LastProbeTime { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
