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
/// <param name="Gpu">What the pod receives of GPUs where it is placed (for the bind request); <see cref="GpuGrant.None"/> for evictions.</param>
/// <param name="Preemptor">For evictions by reclaim, preempt or consolidation: the pod group whose placement required it.</param>
/// <param name="Cause">For other evictions: why, in words (e.g. how long a gang has been stale).</param>
public sealed record SchedulingDecision(
    ActionKind Action,
    DecisionKind Kind,
    PodKey Pod,
    string PodUid,
    NodeName? Node,
    PodGroupKey Group,
    GpuGrant Gpu,
    PodGroupKey? Preemptor = null,
    string? Cause = null)
{
    /// <summary>
    /// For a bind: the devices of the pod's DRA claims that this session allocated (claims allocated before keep
    /// their allocation), for the bind request's <c>resourceClaimAllocations</c>.
    /// </summary>
    public IReadOnlyList<ClaimGrant> Claims { get; init; } = [];
}

/// <summary>A DRA claim (<c>namespace/name</c>) and the devices the session allocated it, request by request.</summary>
public sealed record ClaimGrant(string Claim, string Node, IReadOnlyList<ClaimDevice> Devices);

/// <summary>KAI's received resource types (BindRequest <c>receivedResourceType</c>).</summary>
public enum GpuGrantKind
{
    /// <summary>Whole GPUs, or none.</summary>
    Regular,

    /// <summary>A share of <see cref="GpuGrant.Count"/> devices, on the GPU groups named.</summary>
    Fraction,

    /// <summary>MIG instances.</summary>
    MigInstance,
}

/// <summary>
/// What a placed pod receives of GPUs: for <see cref="GpuGrantKind.Regular"/> the whole GPUs (<see cref="Count"/>),
/// for <see cref="GpuGrantKind.Fraction"/> the share of each device (<see cref="PortionMilli"/>, a GPU memory request
/// as that node's fraction) on <see cref="Count"/> devices, the GPU groups in <see cref="Groups"/>.
/// </summary>
public sealed record GpuGrant(GpuGrantKind Kind, int Count, long PortionMilli, IReadOnlyList<string> Groups)
{
    public static GpuGrant None { get; } = new(GpuGrantKind.Regular, 0, 0, []);

    /// <summary>Whole GPUs (milli-GPU in, devices out).</summary>
    public static GpuGrant Whole(long gpuMilli)
    {
        if (gpuMilli == 0)
        {
            return None;
        }

        var count = (int)(gpuMilli / Resources.ResourceVector.MilliPerGpu);
        return (uint)count < (uint)CommonWhole.Length ? CommonWhole[count] : new(GpuGrantKind.Regular, count, Resources.ResourceVector.MilliPerGpu, []);
    }

    /// <summary>Whole-GPU grants of 0 to 16 GPUs, made once: every placement of a whole-GPU pod takes one (they are immutable).</summary>
    private static readonly GpuGrant[] CommonWhole =
        [.. Enumerable.Range(0, 17).Select(n => new GpuGrant(GpuGrantKind.Regular, n, Resources.ResourceVector.MilliPerGpu, []))];

    /// <summary>GPUs received in all, milli-GPU: whole GPUs, or the share × devices.</summary>
    public long TotalMilli => Kind == GpuGrantKind.MigInstance ? 0 : Count * PortionMilli;

    public bool Equals(GpuGrant? other) =>
        other is not null && Kind == other.Kind && Count == other.Count && PortionMilli == other.PortionMilli && Groups.SequenceEqual(other.Groups);

    public override int GetHashCode() => HashCode.Combine(Kind, Count, PortionMilli, Groups.Count);
}
