using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Per-resource settings of a queue. Units: GPU devices, CPU millicores, memory megabytes (10^6 bytes).</summary>
public sealed class QueueResources
{
    [JsonPropertyName("cpu")]
    public QueueResource? Cpu { get; set; }

    [JsonPropertyName("gpu")]
    public QueueResource? Gpu { get; set; }

    [JsonPropertyName("memory")]
    public QueueResource? Memory { get; set; }
}
