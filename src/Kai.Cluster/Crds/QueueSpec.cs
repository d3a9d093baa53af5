using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Desired state of a <see cref="Queue"/>.</summary>
public sealed class QueueSpec
{
    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("parentQueue")]
    public string? ParentQueue { get; set; }

    /// <summary>Higher priority gets over-quota resources first and is reclaimed last; KAI's default is 100.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    /// <summary>Go duration ("30s", "5m"); parse with <see cref="GoDuration"/>.</summary>
    [JsonPropertyName("preemptMinRuntime")]
    public string? PreemptMinRuntime { get; set; }

    /// <summary>Go duration ("30s", "5m"); parse with <see cref="GoDuration"/>.</summary>
    [JsonPropertyName("reclaimMinRuntime")]
    public string? ReclaimMinRuntime { get; set; }

    /// <summary>Required by KAI's webhook ("resources must be specified").</summary>
    [JsonPropertyName("resources")]
    public QueueResources? Resources { get; set; }
}
