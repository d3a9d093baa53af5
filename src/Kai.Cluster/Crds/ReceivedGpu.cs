using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>GPUs a bind request hands to the pod: a device count and the portion of each device.</summary>
public sealed class ReceivedGpu
{
    [JsonPropertyName("count")]
    public int? Count { get; set; }

    /// <summary>A decimal string as KAI writes it ("%.2f", e.g. "0.50" or "1.00").</summary>
    [JsonPropertyName("portion")]
    public string? Portion { get; set; }
}
