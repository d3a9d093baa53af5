using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Per-queue resource accounting for one session, over CPU, memory and GPU only: what is allocated (live,
/// including this session's placements and evictions), what of it is non-preemptible, what is requested,
/// and the fair share published at session open. Every change to a leaf is applied to all its ancestors.
/// Read-only outside the framework: the session changes it as statements change pod statuses.
/// </summary>
public sealed class QueueLedger
{
    private readonly ClusterSnapshot _snapshot;
    private readonly ResourceVector[] _allocated;
    private readonly ResourceVector[] _allocatedNonPreemptible;
    private readonly ResourceVector[] _requested;
    private readonly ResourceVector[] _fairShare;
    private readonly int[] _versions;

    /// <summary>The queues as the snapshot's pods start them (copied: the session changes its own ledger).</summary>
    internal QueueLedger(ClusterSnapshot snapshot, QueueCharges start)
    {
        _snapshot = snapshot;
        _allocated = (ResourceVector[])start.Allocated.Clone();
        _allocatedNonPreemptible = (ResourceVector[])start.AllocatedNonPreemptible.Clone();
        _requested = (ResourceVector[])start.Requested.Clone();
        _fairShare = new ResourceVector[_allocated.Length];
        _versions = (int[])start.Versions.Clone();
        Total = start.Total;
    }

    /// <summary>Changes whenever a queue's allocation or fair share changes; lets per-queue caches know they are stale.</summary>
    public ReadOnlySpan<int> Versions => _versions;

    /// <summary>Allocated to active (allocated, pipelined, binding, bound, running) pods; live.</summary>
    public ReadOnlySpan<ResourceVector> Allocated => _allocated;

    /// <summary>The part of <see cref="Allocated"/> that belongs to non-preemptible pod groups; live.</summary>
    public ReadOnlySpan<ResourceVector> AllocatedNonPreemptible => _allocatedNonPreemptible;

    /// <summary>Allocated plus pending requests, as at session open.</summary>
    public ReadOnlySpan<ResourceVector> Requested => _requested;

    /// <summary>Fair share published at session open (by the plugin that computes it, e.g. proportion).</summary>
    public ReadOnlySpan<ResourceVector> FairShare => _fairShare;

    /// <summary>The cluster capacity the top-level queues share.</summary>
    public ResourceVector Total { get; }

    internal void SetFairShare(int queue, in ResourceVector share)
    {
        _fairShare[queue] = share;
        _versions[queue]++;
    }

    /// <summary>Overrides a queue's allocation, for tests that set up queue order by hand.</summary>
    internal void SetAllocated(int queue, in ResourceVector allocated)
    {
        _allocated[queue] = allocated;
        _versions[queue]++;
    }

    internal void AddAllocated(int leafQueue, in ResourceVector amount, bool nonPreemptible)
    {
        var queueAmount = QueueAmount(amount);
        for (var q = leafQueue; q >= 0; q = _snapshot.ParentOf(q))
        {
            _allocated[q] += queueAmount;
            _versions[q]++;
            if (nonPreemptible)
            {
                _allocatedNonPreemptible[q] += queueAmount;
            }
        }
    }

    internal void SubtractAllocated(int leafQueue, in ResourceVector amount, bool nonPreemptible)
    {
        var queueAmount = QueueAmount(amount);
        for (var q = leafQueue; q >= 0; q = _snapshot.ParentOf(q))
        {
            _allocated[q] -= queueAmount;
            _versions[q]++;
            if (nonPreemptible)
            {
                _allocatedNonPreemptible[q] -= queueAmount;
            }
        }
    }

    /// <summary>
    /// CPU, memory and GPU of <paramref name="amount"/>: itself when it holds nothing else, as a pod's queue request
    /// (<see cref="Devices.GpuAccounting.QueueRequest"/>) never does — no second vector built for every status change.
    /// </summary>
    private static ResourceVector QueueAmount(in ResourceVector amount) =>
        amount.Pods == 0 && !amount.HasExtended ? amount : amount.QueueResources;
}
