using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Desired state of a <see cref="PodGroup"/>.</summary>
public sealed class PodGroupSpec
{
    /// <summary>Pods that must be placed together; the CRD requires at least 1 when set.</summary>
    [JsonPropertyName("minMember")]
    public int? MinMember { get; set; }

    [JsonPropertyName("queue")]
    public string? Queue { get; set; }

    [JsonPropertyName("priorityClassName")]
    public string? PriorityClassName { get; set; }

    /// <summary><c>preemptible</c>, <c>non-preemptible</c>, or empty (decided by priority: below 100 is preemptible).</summary>
    [JsonPropertyName("preemptibility")]
    public string? Preemptibility { get; set; }

    /// <summary>Whether pods get the Unschedulable condition; KAI's default is true.</summary>
    [JsonPropertyName("markUnschedulable")]
    public bool? MarkUnschedulable { get; set; }

    /// <summary>-1 (default) or 1 (skip the node pool after one failure).</summary>
    [JsonPropertyName("schedulingBackoff")]
    public int? SchedulingBackoff { get; set; }

    [JsonPropertyName("topologyConstraint")]
    public TopologyConstraint? TopologyConstraint { get; set; }

    [JsonPropertyName("subGroups")]
    public IList<SubGroup>? SubGroups { get; set; }

    /// <summary>Legacy; KAI does not use it.</summary>
    [JsonPropertyName("parallelism")]
    public int? Parallelism { get; set; }

    /// <summary>Legacy; KAI does not use it.</summary>
    [JsonPropertyName("completions")]
    public int? Completions { get; set; }

    /// <summary>Legacy; KAI does not use it.</summary>
    [JsonPropertyName("backoffLimit")]
    public int? BackoffLimit { get; set; }
}
