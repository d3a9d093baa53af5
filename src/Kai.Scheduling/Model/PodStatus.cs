namespace Kai.Scheduling.Model;

/// <summary>KAI's pod status vocabulary: what the snapshot reads from the cluster, and what a session sets.</summary>
public enum PodStatus
{
    /// <summary>Waiting for a node.</summary>
    Pending,

    /// <summary>Has scheduling gates; not a scheduling candidate.</summary>
    Gated,

    /// <summary>Placed in this session; bound when the statement commits.</summary>
    Allocated,

    /// <summary>Placed on capacity that is still being released; bound in a later cycle.</summary>
    Pipelined,

    /// <summary>A bind request exists; the binder has not bound it yet.</summary>
    Binding,

    /// <summary>Has a node, not yet running.</summary>
    Bound,

    Running,

    /// <summary>Being deleted (terminating), or evicted in this session.</summary>
    Releasing,

    Succeeded,
    Failed,
    Unknown,
}

public static class PodStatusExtensions
{
    /// <summary>Occupies capacity on its node.</summary>
    public static bool IsActiveUsed(this PodStatus status) => status is PodStatus.Allocated or PodStatus.Pipelined
        or PodStatus.Binding or PodStatus.Bound or PodStatus.Running or PodStatus.Releasing;

    /// <summary>Counts toward a gang's minimum and can be a victim.</summary>
    public static bool IsActiveAllocated(this PodStatus status) => status is PodStatus.Allocated or PodStatus.Pipelined
        or PodStatus.Binding or PodStatus.Bound or PodStatus.Running;

    /// <summary>Neither finished nor being deleted.</summary>
    public static bool IsAlive(this PodStatus status) => status is PodStatus.Pending or PodStatus.Gated
        or PodStatus.Allocated or PodStatus.Pipelined or PodStatus.Binding or PodStatus.Bound or PodStatus.Running;
}
