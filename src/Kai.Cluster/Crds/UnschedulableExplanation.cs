using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>One reason in <see cref="SchedulingCondition.Reasons"/>, e.g. <c>NonPreemptibleOverQuota</c> or <c>OverLimit</c>.</summary>
public sealed class UnschedulableExplanation
{
    public const string NonPreemptibleOverQuota = "NonPreemptibleOverQuota";
    public const string OverLimit = "OverLimit";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("details")]
    public UnschedulableExplanationDetails? Details { get; set; }
}
