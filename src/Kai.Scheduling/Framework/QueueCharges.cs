using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The queues' part of <see cref="StartingBooks"/>: per queue (each leaf's charges applied to its ancestors too) the
/// allocation, its non-preemptible part, the request and the ledger version (one per allocated pod below), and the
/// total the top-level queues share. Sums of integer vectors, so pods may be charged and taken off in any order.
/// </summary>
internal sealed class QueueCharges
{
    private QueueCharges(ResourceVector[] allocated, ResourceVector[] allocatedNonPreemptible, ResourceVector[] requested, int[] versions, ResourceVector total)
    {
        Allocated = allocated;
        AllocatedNonPreemptible = allocatedNonPreemptible;
        Requested = requested;
        Versions = versions;
        Total = total;
    }

    public ResourceVector[] Allocated { get; }

    public ResourceVector[] AllocatedNonPreemptible { get; }

    public ResourceVector[] Requested { get; }

    public int[] Versions { get; }

    /// <summary>Allocatable of usable nodes (schedulable, not under pressure), minus what other schedulers' pods hold there.</summary>
    public ResourceVector Total { get; private set; }

    /// <summary>No pod charged yet: the total is the usable nodes' capacity.</summary>
    public static QueueCharges Empty(ClusterSnapshot snapshot)
    {
        var total = ResourceVector.Zero;
        foreach (var node in snapshot.Nodes)
        {
            total += UsableCapacity(node);
        }

        var count = snapshot.Queues.Count;
        return new QueueCharges(new ResourceVector[count], new ResourceVector[count], new ResourceVector[count], new int[count], total);
    }

    /// <summary>A node's mapping changed: the total counts its new capacity instead of the old (each when usable).</summary>
    public void ReplaceNode(Model.Node before, Model.Node now)
    {
        Total -= UsableCapacity(before);
        Total += UsableCapacity(now);
    }

    private static ResourceVector UsableCapacity(Model.Node node) =>
        node.IsSchedulable && !node.UnderPressure ? GpuAccounting.QueueCapacity(node) : ResourceVector.Zero;

    public QueueCharges Copy() =>
        new((ResourceVector[])Allocated.Clone(), (ResourceVector[])AllocatedNonPreemptible.Clone(), (ResourceVector[])Requested.Clone(), (int[])Versions.Clone(), Total);

    /// <summary>Charges (sign 1) or takes off (-1) an allocated pod's accepted resources (allocated and requested) on its leaf queue and the ancestors.</summary>
    public void Charge(ClusterSnapshot snapshot, int leafQueue, in ResourceVector amount, bool nonPreemptible, int sign)
    {
        foreach (var q in snapshot.QueueAndAncestors(leafQueue))
        {
            Allocated[q] = Signed(Allocated[q], amount, sign);
            Versions[q] += sign;
            if (nonPreemptible)
            {
                AllocatedNonPreemptible[q] = Signed(AllocatedNonPreemptible[q], amount, sign);
            }

            Requested[q] = Signed(Requested[q], amount, sign);
        }
    }

    /// <summary>Charges (sign 1) or takes off (-1) a pending pod's request on its leaf queue and the ancestors.</summary>
    public void ChargeRequested(ClusterSnapshot snapshot, int leafQueue, in ResourceVector amount, int sign)
    {
        foreach (var q in snapshot.QueueAndAncestors(leafQueue))
        {
            Requested[q] = Signed(Requested[q], amount, sign);
        }
    }

    /// <summary>Another scheduler's pod on a usable node: what it holds is not the queues' to share.</summary>
    public void ChargeForeign(in ResourceVector amount, int sign) => Total = Signed(Total, amount, -sign);

    private static ResourceVector Signed(in ResourceVector value, in ResourceVector amount, int sign) => sign > 0 ? value + amount : value - amount;
}
