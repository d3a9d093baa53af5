using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Observed state of a <see cref="BindRequest"/>, written by the binder.</summary>
public sealed class BindRequestStatus
{
    public const string PhasePending = "Pending";
    public const string PhaseSucceeded = "Succeeded";
    public const string PhaseFailed = "Failed";

    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("failedAttempts")]
    public int? FailedAttempts { get; set; }
}
