using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Structured details of an <see cref="UnschedulableExplanation"/>.</summary>
public sealed class UnschedulableExplanationDetails
{
    [JsonPropertyName("queueDetails")]
    public QuotaDetails? QueueDetails { get; set; }
}
