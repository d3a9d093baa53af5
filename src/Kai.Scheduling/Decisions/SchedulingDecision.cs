using Kai.Scheduling.Configuration;

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
/// <param name="PodNamespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
/// <param name="PodUid">Pod uid.</param>
/// <param name="Node">Target node (bind, pipeline) or the node the pod is evicted from.</param>
/// <param name="GroupNamespace">Namespace of the pod's group.</param>
/// <param name="GroupName">The pod's group.</param>
/// <param name="GpuMilli">GPUs the pod receives, in milli-GPU (for the bind request).</param>
/// <param name="Cause">For evictions: the pod group whose placement required it (namespace/name), else null.</param>
public sealed record SchedulingDecision(
    ActionKind Action,
    DecisionKind Kind,
    string PodNamespace,
    string PodName,
    string PodUid,
    string? Node,
    string GroupNamespace,
    string GroupName,
    long GpuMilli,
    string? Cause = null)
{
    public string PodKey => $"{PodNamespace}/{PodName}";
}
