using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// What plugins may read of a session: the snapshot and the session's live books. Nothing here changes the
/// session; state changes only through a <see cref="Statement"/>, which actions open. The books' own types
/// (<see cref="NodeState"/>, <see cref="GangBook"/>, <see cref="QueueLedger"/>) expose only reads outside the
/// framework assembly.
/// </summary>
public interface ISessionView
{
    ClusterSnapshot Snapshot { get; }

    /// <summary>The cycle's time (the snapshot's; the engine has no clock).</summary>
    /// <remarks>
    /// Reading it tells the session that its outcome depends on the time in a way it cannot bound, so a host will
    /// not skip a later cycle in which nothing changed; a rule that compares the time with a deadline asks
    /// <see cref="IsBefore"/> instead.
    /// </remarks>
    DateTimeOffset Now { get; }

    /// <summary>
    /// Whether the cycle's time is before <paramref name="instant"/>. When it is, the session notes the instant as
    /// one at which its outcome may change (<see cref="CycleResult.SameUntil"/>); once the time has passed it,
    /// the answer stays false for ever, so nothing is noted.
    /// </summary>
    bool IsBefore(DateTimeOffset instant);

    /// <summary>Per-node books, indexed like <see cref="ClusterSnapshot.Nodes"/>.</summary>
    ReadOnlySpan<NodeState> Nodes { get; }

    GangBook Gangs { get; }

    QueueLedger Queues { get; }

    AllocationQuantum Quantum { get; }

    /// <summary>Pods on nodes by label, for inter-pod affinity (built on first use; a session without affinity never pays for it).</summary>
    PodLabelIndex PodLabels { get; }

    /// <summary>Idle plus releasing capacity summed over schedulable nodes; kept live.</summary>
    ResourceVector SchedulableFree { get; }

    PodStatus StatusOf(int pod);

    /// <summary>Node index of the pod in this session, or -1.</summary>
    int NodeOf(int pod);

    /// <summary>Whether the pod's status was set by this session (not read from the cluster).</summary>
    bool IsVirtual(int pod);

    bool IsPreemptible(int group);

    /// <summary>The pod's request as node books count it: CPU, memory, whole GPUs, a pod slot, extended resources (MIG profiles).</summary>
    ResourceVector RequestOf(int pod);

    /// <summary>The pod's request in queue units (CPU, memory, GPUs of every kind; a GPU memory request counts none: see <see cref="GpuAccounting.QueueRequest"/>).</summary>
    ResourceVector QueueRequestOf(int pod);

    /// <summary>What the pod counts in queue requests while pending: its GPU memory as GPUs of the smallest node (see <see cref="GpuAccounting.PendingQueueRequest"/>).</summary>
    ResourceVector PendingQueueRequestOf(int pod);

    /// <summary>What the pod counts in its queue where it is placed (KAI's accepted resources); its queue request when it has no node.</summary>
    ResourceVector AllocatedOf(int pod);

    /// <summary>The shared GPUs (GPU groups) the pod holds on its node in this session; empty when none.</summary>
    IReadOnlyList<GpuGroup> GpuGroupsOf(int pod);

    /// <summary>The DRA devices the nodes reach and the claims holding them; null when no pod has claims.</summary>
    DraBook? DraDevices { get; }
}
