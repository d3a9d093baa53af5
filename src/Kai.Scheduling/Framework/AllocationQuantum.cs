using System.Runtime.InteropServices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Which pods of a group one allocation attempt tries to place (KAI's "tasks to allocate"): for every pod set
/// below its minimum, the pods still missing; when all are satisfied, exactly one more pod (elastic growth).
/// Cached per group until a member's status changes.
/// </summary>
/// <remarks>
/// Each pod set's members are sorted into placement order once per session and the candidates filtered from
/// that order at each computation, instead of sorted again: an elastic group growing one pod at a time recomputes
/// its quantum after every pod. This is valid because pod order plugins compare the pods' definitions only
/// (<see cref="Extensions.IPodOrderPlugin"/>'s contract: nothing that changes within a session) and the pipeline's
/// tie-breaks make the order total, so sorting all members then filtering equals filtering then sorting.
/// </remarks>
public sealed class AllocationQuantum
{
    /// <summary>The order of a group's pod sets when it has one (most groups).</summary>
    private static readonly int[] OnlySet = [0];

    private readonly Session _session;
    private readonly bool _reuseOrder;
    private readonly bool _requestWithoutPods;
    private readonly bool _reusesEvictedArrays;

    // Per group: the array EvictedPodsToReplace last gave (given again while the pods are the same); made at the first
    // question, so a session that simulates no eviction (allocate alone) does not hold one.
    private int[]?[]? _lastEvicted;
    // Per group: its quantum and request, valid while the group's version is the one kept (queue order asks for the
    // request at every comparison of the group's queue; an array look-up instead of a dictionary's). Pods is null where
    // only the request was asked for since the version moved (PodsNotMade; null: the entry holds nothing).
    private readonly (int Version, int[]? Pods, ResourceVector Request)[] _cache;

    /// <summary>An entry's pods where only its request was worked out (never given out: a mark, not a quantum).</summary>
    private static readonly int[] PodsNotMade = [-1];
    private readonly Func<int, bool> _isCandidate;

    // Made once: a victim's turn in every simulated try asks for its evicted pods (a closure per call was 2 MB a cycle).
    private readonly Func<int, bool> _isEvictedHere;
    private readonly List<int> _scratchResult = [];

    // Per group, per pod set: its members in placement order (built on first use).
    private readonly int[]?[]?[] _placementOrder;

    /// <param name="session">The session.</param>
    /// <param name="reuseOrder">Whether pod sets are sorted once per session (false sorts the candidates at every computation; tests compare both).</param>
    /// <param name="requestWithoutPods">
    /// Whether <see cref="InitRequest"/> sums the quantum's requests from the scratch list without making the pods' array
    /// (false makes it every time, as <see cref="PodsToAllocate"/> does; tests compare both).
    /// </param>
    /// <param name="reusesEvictedArrays">Whether <see cref="EvictedPodsToReplace"/> gives a group's last array again for the same pods (false makes one every time; tests compare both).</param>
    internal AllocationQuantum(Session session, bool reuseOrder = true, bool requestWithoutPods = true, bool reusesEvictedArrays = true)
    {
        _session = session;
        _reuseOrder = reuseOrder;
        _requestWithoutPods = requestWithoutPods && reuseOrder;
        _reusesEvictedArrays = reusesEvictedArrays && reuseOrder;
        _placementOrder = new int[]?[]?[session.Snapshot.Groups.Count];
        _cache = new (int, int[]?, ResourceVector)[session.Snapshot.Groups.Count];
        _isCandidate = IsCandidate;
        _isEvictedHere = IsEvictedHere;
    }

    /// <summary>Pods to place in the next attempt, in placement order.</summary>
    public int[] PodsToAllocate(int group) => Get(group, withPods: true).Pods!;

    /// <summary>
    /// The summed request of <see cref="PodsToAllocate"/> in queue units (KAI's job "init request"; GPU memory as
    /// GPUs of the smallest node, see <see cref="ISessionView.PendingQueueRequestOf"/>).
    /// </summary>
    /// <remarks>
    /// Victim filters and queue order ask it of groups whose version every simulated try moves (a victim evicted and put
    /// back): the request alone needs no array of the pods, which were some 8 MB a cycle at 4,000 nodes.
    /// </remarks>
    public ResourceVector InitRequest(int group) => Get(group, withPods: !_requestWithoutPods).Request;

    /// <summary>Computations of a quantum that made no array of its pods (for tests).</summary>
    internal int RequestsWithoutPods { get; private set; }

    /// <summary>
    /// The quantum of a victim group being placed again in a simulation: the same rule, over the pods evicted in
    /// this session only (its pending pods are not part of the scenario).
    /// </summary>
    /// <remarks>
    /// Every simulated try that evicts a victim group asks this at the group's turn, mostly for the same pods as the try
    /// before: where the pods are those of the array last given for the group, that array is given again (callers only
    /// read it, as they read <see cref="PodsToAllocate"/>'s) instead of a new one (2 MB a cycle at 4,000 nodes).
    /// </remarks>
    public int[] EvictedPodsToReplace(int group)
    {
        if (!_reusesEvictedArrays)
        {
            return Compute(group, _isEvictedHere);
        }

        ReadOnlySpan<int> pods = ComputeInKeptOrder(group, _isEvictedHere) ? CollectionsMarshal.AsSpan(_scratchResult) : [];
        ref var last = ref (_lastEvicted ??= new int[]?[_session.Snapshot.Groups.Count])[group];
        if (last is not null && pods.SequenceEqual(last))
        {
            EvictedArraysReused++;
            return last;
        }

        return last = pods.ToArray();
    }

    /// <summary>Times <see cref="EvictedPodsToReplace"/> gave the group's last array again (for tests).</summary>
    internal int EvictedArraysReused { get; private set; }

    /// <summary>Whether a pod was evicted in this session (and not placed again since).</summary>
    private bool IsEvictedHere(int pod) => _session.StatusOf(pod) == PodStatus.Releasing && _session.IsVirtual(pod);

    /// <summary>Whether a pod may be placed in this session: pending, or evicted earlier in this session.</summary>
    public bool IsCandidate(int pod)
    {
        var definition = _session.Snapshot.Pods[pod];
        if (!definition.IsScheduledByUs || definition.Unsupported is not null)
        {
            return false;
        }

        var status = _session.StatusOf(pod);
        return status == PodStatus.Pending || (status == PodStatus.Releasing && _session.IsVirtual(pod));
    }

    private (int Version, int[]? Pods, ResourceVector Request) Get(int group, bool withPods)
    {
        var version = _session.Gangs.Version(group);
        ref var cached = ref _cache[group];
        if (cached.Pods is not null && cached.Version == version && (!withPods || !ReferenceEquals(cached.Pods, PodsNotMade)))
        {
            return cached;
        }

        if (!withPods && cached.Pods is not null)
        {
            // A group worked out before whose version moved (a victim evicted in a try, put back, evicted again): the
            // same candidates in the scratch list, summed where they lie. A group asked for the first time makes its
            // array as before, which allocate's pop reads next.
            var request = ComputeInKeptOrder(group, _isCandidate) ? SumOf(CollectionsMarshal.AsSpan(_scratchResult)) : ResourceVector.Zero;
            cached = (version, PodsNotMade, request);
            RequestsWithoutPods++;
            return cached;
        }

        var pods = Compute(group, _isCandidate);
        cached = (version, pods, SumOf(pods));
        return cached;
    }

    private ResourceVector SumOf(ReadOnlySpan<int> pods)
    {
        var request = ResourceVector.Zero;
        foreach (var pod in pods)
        {
            request += _session.PendingQueueRequestOf(pod);
        }

        return request;
    }

    private int[] Compute(int group, Func<int, bool> isCandidate) =>
        !_reuseOrder ? ComputeSorting(group, isCandidate)
        : ComputeInKeptOrder(group, isCandidate) ? [.. _scratchResult]
        : [];

    /// <summary>
    /// The quantum from each pod set's kept placement order, into the scratch list (an allocation attempt computes one per
    /// pop: 9,100 at 5,000 nodes), which holds it on return; false when the group waits whole (the quantum is empty).
    /// </summary>
    private bool ComputeInKeptOrder(int group, Func<int, bool> isCandidate)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var gangs = _session.Gangs;
        var order = SetOrder(group, out var setsToTake);
        var result = _scratchResult;
        result.Clear();
        foreach (var s in order)
        {
            if (setsToTake == 0)
            {
                break;
            }

            var members = PlacementOrder(group, s);
            var missing = sets[s].MinAvailable - gangs.ActiveAllocated(group, s);
            var take = missing > 0 ? missing : 1;
            var start = result.Count;
            foreach (var member in members)
            {
                // Enough found: the rest cannot change the outcome (the set is short only when fewer than its missing pods are candidates).
                if (isCandidate(member))
                {
                    result.Add(member);
                    if (result.Count - start == take)
                    {
                        break;
                    }
                }
            }

            var found = result.Count - start;
            if (found == 0)
            {
                continue;
            }

            setsToTake--;
            if (missing > found && sets[s].Members.Any(IsWaitingUnsupported))
            {
                // Pods that cannot be scheduled (their reason is explained) leave the set short of its minimum: placing
                // the others would break the gang, so the group waits whole.
                return false;
            }
        }

        return true;
    }

    /// <summary>The quantum as first written: candidates collected, sorted, then taken (the reference the kept order is tested against).</summary>
    private int[] ComputeSorting(int group, Func<int, bool> isCandidate)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var gangs = _session.Gangs;
        var order = SetOrder(group, out var setsToTake);
        var result = new List<int>();
        foreach (var s in order)
        {
            if (setsToTake == 0)
            {
                break;
            }

            var candidates = new List<int>();
            foreach (var member in sets[s].Members)
            {
                if (isCandidate(member))
                {
                    candidates.Add(member);
                }
            }

            candidates.Sort(ComparePods);
            if (candidates.Count == 0)
            {
                continue;
            }

            setsToTake--;
            var missing = sets[s].MinAvailable - gangs.ActiveAllocated(group, s);
            if (missing > candidates.Count && sets[s].Members.Any(IsWaitingUnsupported))
            {
                return [];
            }

            result.AddRange(candidates.Take(missing > 0 ? missing : 1));
        }

        return [.. result];
    }

    /// <summary>The group's pod sets in KAI's sub-group order, and how many of them one attempt takes pods from.</summary>
    private int[] SetOrder(int group, out int setsToTake)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var gangs = _session.Gangs;
        int[] order = OnlySet;
        if (sets.Count != 1)
        {
            order = Enumerable.Range(0, sets.Count).ToArray();
            Array.Sort(order, (a, b) => ComparePodSets(group, a, b));
        }

        var unsatisfied = 0;
        for (var s = 0; s < sets.Count; s++)
        {
            if (gangs.ActiveAllocated(group, s) < sets[s].MinAvailable)
            {
                unsatisfied++;
            }
        }

        setsToTake = Math.Max(unsatisfied, 1);
        return order;
    }

    /// <summary>A pod set's members sorted into placement order, once per session.</summary>
    private int[] PlacementOrder(int group, int set)
    {
        var sets = _placementOrder[group] ??= new int[]?[_session.Snapshot.PodSetsOf(group).Count];
        if (sets[set] is { } sorted)
        {
            return sorted;
        }

        sorted = [.. _session.Snapshot.PodSetsOf(group)[set].Members];
        if (sorted.Length > 1)
        {
            Array.Sort(sorted, ComparePods);
        }

        return sets[set] = sorted;
    }

    private int ComparePods(int left, int right) => _session.Plugins.ComparePods(_session, left, right);

    private bool IsWaitingUnsupported(int pod) =>
        _session.Snapshot.Pods[pod].Unsupported is not null && _session.StatusOf(pod) == PodStatus.Pending;

    /// <summary>KAI's sub-group order: unsatisfied sets first, then the least satisfied, then by name.</summary>
    private int ComparePodSets(int group, int a, int b)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var gangs = _session.Gangs;
        var aAllocated = gangs.ActiveAllocated(group, a);
        var bAllocated = gangs.ActiveAllocated(group, b);
        var aUnsatisfied = aAllocated < sets[a].MinAvailable;
        var bUnsatisfied = bAllocated < sets[b].MinAvailable;
        if (aUnsatisfied != bUnsatisfied)
        {
            return aUnsatisfied ? -1 : 1;
        }

        var aRatio = sets[a].MinAvailable == 0 ? double.MaxValue : aAllocated / (double)sets[a].MinAvailable;
        var bRatio = sets[b].MinAvailable == 0 ? double.MaxValue : bAllocated / (double)sets[b].MinAvailable;
        if (aRatio != bRatio)
        {
            return aRatio < bRatio ? -1 : 1;
        }

        return string.CompareOrdinal(sets[a].Name, sets[b].Name);
    }
}
