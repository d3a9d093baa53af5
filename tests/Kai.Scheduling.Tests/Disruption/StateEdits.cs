using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Copies of the engine's immutable model objects with a few properties changed, and edits of a whole
/// <see cref="ClusterState"/> by name: what the builders cannot set (last-start and stale-since stamps,
/// queue min-runtimes) and what the multi-cycle driver changes between cycles.
/// </summary>
internal static class StateEdits
{
    public static Pod With(this Pod pod, PodStatus status, string? node, string? uid = null) => new()
    {
        Uid = uid ?? pod.Uid,
        Namespace = pod.Namespace,
        Name = pod.Name,
        GroupName = pod.GroupName,
        SubGroupName = pod.SubGroupName,
        Request = pod.Request,
        Status = status,
        NodeName = node,
        IsScheduledByUs = pod.IsScheduledByUs,
        CreationTimestamp = pod.CreationTimestamp,
        Constraints = pod.Constraints,
        Role = pod.Role,
        OrderPriority = pod.OrderPriority,
        HasInvalidOrderPriority = pod.HasInvalidOrderPriority,
    };

    /// <summary>A copy of the group with its last-start and stale-since stamps replaced.</summary>
    public static PodGroup WithStamps(this PodGroup group, DateTimeOffset? lastStart, DateTimeOffset? staleSince) => new()
    {
        Namespace = group.Namespace,
        Name = group.Name,
        Uid = group.Uid,
        QueueName = group.QueueName,
        Priority = group.Priority,
        PriorityClassName = group.PriorityClassName,
        Preemptible = group.Preemptible,
        MinMember = group.MinMember,
        SubGroups = group.SubGroups,
        CreationTimestamp = group.CreationTimestamp,
        MarkUnschedulable = group.MarkUnschedulable,
        StaleSince = staleSince,
        LastStartTimestamp = lastStart,
    };

    public static Queue WithMinRuntimes(this Queue queue, TimeSpan? preempt, TimeSpan? reclaim) => new()
    {
        Name = queue.Name,
        DisplayName = queue.DisplayName,
        ParentName = queue.ParentName,
        Priority = queue.Priority,
        Cpu = queue.Cpu,
        Memory = queue.Memory,
        Gpu = queue.Gpu,
        CreationTimestamp = queue.CreationTimestamp,
        PreemptMinRuntime = preempt,
        ReclaimMinRuntime = reclaim,
    };

    /// <summary>Sets when the named pod groups (namespace <c>ns</c>) last started.</summary>
    public static ClusterState StartedAt(this ClusterState state, DateTimeOffset lastStart, params string[] groups) =>
        state with
        {
            PodGroups = [.. state.PodGroups.Select(g => groups.Contains(g.Name) ? g.WithStamps(lastStart, g.StaleSince) : g)],
        };

    /// <summary>Sets the stale-since stamp of the named pod group.</summary>
    public static ClusterState StaleSince(this ClusterState state, string group, DateTimeOffset? since) =>
        state with
        {
            PodGroups = [.. state.PodGroups.Select(g => g.Name == group ? g.WithStamps(g.LastStartTimestamp, since) : g)],
        };

    /// <summary>Sets the named queue's preempt and reclaim min-runtimes (null = inherit).</summary>
    public static ClusterState MinRuntimes(this ClusterState state, string queue, TimeSpan? preempt, TimeSpan? reclaim) =>
        state with
        {
            Queues = [.. state.Queues.Select(q => q.Name == queue ? q.WithMinRuntimes(preempt, reclaim) : q)],
        };
}
