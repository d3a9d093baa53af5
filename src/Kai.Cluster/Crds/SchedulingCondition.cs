using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Why a pod group cannot be scheduled on a node pool (type <c>UnschedulableOnNodePool</c>), written by the scheduler.</summary>
public sealed class SchedulingCondition
{
    public const string UnschedulableOnNodePool = "UnschedulableOnNodePool";

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("nodePool")]
    public string? NodePool { get; set; }

    /// <summary>Deprecated by KAI in favour of <see cref="Reasons"/>; still written ("Unschedulable").</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Deprecated by KAI in favour of <see cref="Reasons"/>; still written.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("reasons")]
    public IList<UnschedulableExplanation>? Reasons { get; set; }

    /// <summary>An incrementing number, kept as a string as on the wire.</summary>
    [JsonPropertyName("transitionID")]
    public string? TransitionID { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }
}
