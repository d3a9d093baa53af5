using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Decisions;

/// <summary>What a committed statement asks of the cluster for one pod.</summary>
public enum DecisionKind
{
    /// <summary>Bind the pod to the node (a bind request is created).</summary>
    Bind,

    /// <summary>The pod waits for capacity still being released on the node; nothing is written.</summary>
    Pipeline,

    /// <summary>Evict (delete) the pod.</summary>
    Evict,
}

/// <summary>One decision of a cycle, as data. Edges turn these into bind requests, deletions and events.</summary>
/// <param name="Action">The action whose statement produced it.</param>
/// <param name="Kind">Bind, pipeline or evict.</param>
/// <param name="Pod">The pod.</param>
/// <param name="PodUid">Pod uid.</param>
/// <param name="Node">Target node (bind, pipeline) or the node the pod is evicted from.</param>
/// <param name="Group">The pod's group.</param>
/// <param name="GpuMilli">GPUs the pod receives, in milli-GPU (for the bind request).</param>
/// <param name="Preemptor">For evictions by reclaim, preempt or consolidation: the pod group whose placement required it.</param>
/// <param name="Cause">For other evictions: why, in words (e.g. how long a gang has been stale).</param>
public sealed record SchedulingDecision(
    ActionKind Action,
    DecisionKind Kind,
    PodKey Pod,
    string PodUid,
    NodeName? Node,
    PodGroupKey Group,
    long GpuMilli,
    PodGroupKey? Preemptor = null,
    string? Cause = null);
