using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Per-queue resource accounting for one session, over CPU, memory and GPU only: what is allocated (live,
/// including this session's placements and evictions), what of it is non-preemptible, what is requested,
/// and the fair share computed at session open. Every change to a leaf is applied to all its ancestors.
/// </summary>
public sealed class QueueLedger
{
    private readonly ClusterSnapshot _snapshot;

    internal QueueLedger(ClusterSnapshot snapshot)
    {
        _snapshot = snapshot;
        var count = snapshot.Queues.Count;
        Allocated = new ResourceVector[count];
        AllocatedNonPreemptible = new ResourceVector[count];
        Requested = new ResourceVector[count];
        FairShare = new ResourceVector[count];
        Versions = new int[count];
    }

    /// <summary>Changes whenever a queue's allocation changes; lets per-queue caches know they are stale.</summary>
    public int[] Versions { get; }

    /// <summary>Allocated to active (allocated, pipelined, binding, bound, running) pods; live.</summary>
    public ResourceVector[] Allocated { get; }

    /// <summary>The part of <see cref="Allocated"/> that belongs to non-preemptible pod groups; live.</summary>
    public ResourceVector[] AllocatedNonPreemptible { get; }

    /// <summary>Allocated plus pending requests, as at session open.</summary>
    public ResourceVector[] Requested { get; }

    /// <summary>Fair share computed at session open (by the proportion plugin).</summary>
    public ResourceVector[] FairShare { get; }

    /// <summary>The cluster capacity the top-level queues share.</summary>
    public ResourceVector Total { get; internal set; }

    internal void AddAllocated(int leafQueue, in ResourceVector amount, bool nonPreemptible)
    {
        var queueAmount = amount.QueueResources;
        for (var q = leafQueue; q >= 0; q = _snapshot.ParentOf(q))
        {
            Allocated[q] += queueAmount;
            Versions[q]++;
            if (nonPreemptible)
            {
                AllocatedNonPreemptible[q] += queueAmount;
            }
        }
    }

    internal void SubtractAllocated(int leafQueue, in ResourceVector amount, bool nonPreemptible)
    {
        var queueAmount = amount.QueueResources;
        for (var q = leafQueue; q >= 0; q = _snapshot.ParentOf(q))
        {
            Allocated[q] -= queueAmount;
            Versions[q]++;
            if (nonPreemptible)
            {
                AllocatedNonPreemptible[q] -= queueAmount;
            }
        }
    }

    internal void AddRequested(int leafQueue, in ResourceVector amount)
    {
        var queueAmount = amount.QueueResources;
        for (var q = leafQueue; q >= 0; q = _snapshot.ParentOf(q))
        {
            Requested[q] += queueAmount;
        }
    }
}
