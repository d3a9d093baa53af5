using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Desired state of a <see cref="PodGroup"/>.</summary>
public sealed class PodGroupSpec
{
    /// <summary>Pods that must be placed together; 0 means no gang (every pod is elastic). Exclusive with <see cref="MinSubGroup"/>.</summary>
    [JsonPropertyName("minMember")]
    public int? MinMember { get; set; }

    /// <summary>Direct child subgroups that must be satisfied for the group to run; exclusive with <see cref="MinMember"/>.</summary>
    [JsonPropertyName("minSubGroup")]
    public int? MinSubGroup { get; set; }

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

    /// <summary>
    /// How long (a Go duration, e.g. "5m") the group must have been pending — since it was created or last evicted —
    /// before it may evict others to start (preempt, reclaim, consolidation).
    /// </summary>
    [JsonPropertyName("preemptionDelay")]
    public string? PreemptionDelay { get; set; }

    /// <summary>
    /// How long (a Go duration) the group may run below its minimum before stale-gang eviction; negative disables
    /// stale-gang eviction for it; unset uses the scheduler's global grace period.
    /// </summary>
    [JsonPropertyName("stalenessGracePeriod")]
    public string? StalenessGracePeriod { get; set; }

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
