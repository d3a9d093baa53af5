using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Running pods in the order they would be given up (KAI's victim order): the queue that would be served last
/// first, within it the pod group that would be scheduled last (lowest priority, elastic extras, newest), and
/// per group one pod at a time from the pod set furthest above its minimum, or the whole gang once none is
/// above it. Each step yields one "victim unit".
/// </summary>
/// <remarks>
/// Pod groups that got pods earlier in the same cycle are never victims (deliberately unlike KAI, which may
/// evict a pod it has just bound): such an eviction could only undo this cycle's own decision, or split a gang.
/// </remarks>
internal sealed class VictimQueue
{
    private readonly Session _session;
    private readonly Dictionary<int, List<int>> _remaining = [];
    private readonly Dictionary<int, int[]> _taken = [];
    private readonly SortedSet<int>?[] _byLeaf;
    private readonly List<int>?[] _pendingByLeaf;
    private readonly int[] _inSubtree;
    private readonly List<int>[] _takenPods;

    /// <param name="session">The session.</param>
    /// <param name="groups">Candidate victim groups.</param>
    public VictimQueue(Session session, IEnumerable<int> groups)
    {
        _session = session;
        var queues = session.Snapshot.Queues.Count;
        _byLeaf = new SortedSet<int>?[queues];
        _pendingByLeaf = new List<int>?[queues];
        _inSubtree = new int[queues];
        _takenPods = new List<int>[queues];
        for (var q = 0; q < queues; q++)
        {
            _takenPods[q] = [];
        }

        // Cheap here, lazy later: a leaf's groups are ordered only when the search reaches that leaf, and a
        // group's pods only when it gives up its first unit. Most searches end after a few units.
        foreach (var group in groups)
        {
            var leaf = session.Snapshot.QueueOf(group);
            if (leaf < 0)
            {
                continue;
            }

            (_pendingByLeaf[leaf] ??= []).Add(group);
            foreach (var q in session.Snapshot.QueueAndAncestors(leaf))
            {
                _inSubtree[q]++;
            }
        }
    }

    /// <summary>Pods taken so far, in the order taken.</summary>
    public List<int> Taken { get; } = [];

    /// <summary>The next victim unit, or false when there are no more candidates.</summary>
    public bool TryNext(out int group, out List<int> unit)
    {
        SortedSet<int> leafGroups;
        int queue;
        do
        {
            queue = WorstAmong(_session.Snapshot.TopLevelQueues);
            if (queue < 0)
            {
                group = -1;
                unit = [];
                return false;
            }

            while (!_session.Snapshot.IsLeaf(queue))
            {
                queue = WorstAmong(_session.Snapshot.ChildrenOf(queue));
            }

            // Ordering a leaf for the first time may find groups with nothing to evict; then look again.
            leafGroups = Leaf(queue);
        }
        while (leafGroups.Count == 0);

        group = leafGroups.Min;
        Remove(group);
        unit = NextUnit(group);
        var remaining = _remaining[group];
        foreach (var pod in unit)
        {
            remaining.Remove(pod);
            _taken[group][_session.Snapshot.PodSetIndexOf(pod)]++;
            Taken.Add(pod);
        }

        foreach (var q in _session.Snapshot.QueueAndAncestors(queue))
        {
            _takenPods[q].AddRange(unit);
        }

        if (remaining.Count > 0)
        {
            Insert(group);
        }

        return true;
    }

    /// <summary>The ordered groups of a leaf, ordering them on first use.</summary>
    private SortedSet<int> Leaf(int leaf)
    {
        var set = _byLeaf[leaf] ??= new SortedSet<int>(Comparer<int>.Create(CompareVictims));
        if (_pendingByLeaf[leaf] is { } pending)
        {
            _pendingByLeaf[leaf] = null;
            foreach (var group in pending)
            {
                if (Load(group))
                {
                    set.Add(group);
                }
                else
                {
                    foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
                    {
                        _inSubtree[q]--;
                    }
                }
            }
        }

        return set;
    }

    /// <summary>Collects a group's evictable pods in eviction order; false when it has none.</summary>
    private bool Load(int group)
    {
        var session = _session;
        var members = session.Snapshot.MembersOf(group);
        if (Array.Exists(members, p => session.IsVirtual(p) && session.StatusOf(p).IsActiveAllocated()))
        {
            // Placed (or grown) earlier in this cycle: evicting part of it would split what was just decided.
            return false;
        }

        var pods = members.Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
        if (pods.Count == 0)
        {
            return false;
        }

        // Evict in reverse pod order: workers before leaders, newest first.
        pods.Sort((a, b) => session.Plugins.ComparePods(session, b, a));
        _remaining[group] = pods;
        _taken[group] = new int[session.Snapshot.PodSetsOf(group).Count];
        return true;
    }

    /// <summary>One pod from the pod set furthest above its minimum, else every remaining pod.</summary>
    private List<int> NextUnit(int group)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var mostOver = -1;
        var mostOverBy = 0;
        for (var s = 0; s < sets.Count; s++)
        {
            var over = _session.Gangs.ActiveAllocated(group, s) - _taken[group][s] - sets[s].MinAvailable;
            if (over > mostOverBy && _remaining[group].Exists(p => _session.Snapshot.PodSetIndexOf(p) == s))
            {
                mostOver = s;
                mostOverBy = over;
            }
        }

        return mostOver >= 0 ? [_remaining[group].First(p => _session.Snapshot.PodSetIndexOf(p) == mostOver)] : [.. _remaining[group]];
    }

    private void Insert(int group)
    {
        var leaf = _session.Snapshot.QueueOf(group);
        _byLeaf[leaf]!.Add(group);
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _inSubtree[q]++;
        }
    }

    private void Remove(int group)
    {
        var leaf = _session.Snapshot.QueueOf(group);
        _byLeaf[leaf]!.Remove(group);
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _inSubtree[q]--;
        }
    }

    /// <summary>Reverse job order over what is left of each group: lowest priority, furthest above minimum, newest.</summary>
    private int CompareVictims(int a, int b)
    {
        var snapshot = _session.Snapshot;
        var byPriority = snapshot.Groups[a].Priority.CompareTo(snapshot.Groups[b].Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byState = RemainingGangState(b).CompareTo(RemainingGangState(a));
        if (byState != 0)
        {
            return byState;
        }

        // Group indices follow namespace/name order, so the index is the name tie-breaker.
        var byAge = snapshot.Groups[b].CreationTimestamp.CompareTo(snapshot.Groups[a].CreationTimestamp);
        return byAge != 0 ? byAge : b.CompareTo(a);
    }

    private int RemainingGangState(int group)
    {
        var sets = _session.Snapshot.PodSetsOf(group);
        var above = false;
        for (var s = 0; s < sets.Count; s++)
        {
            var count = _session.Gangs.ActiveAllocated(group, s) - _taken[group][s];
            if (count < sets[s].MinAvailable)
            {
                return 0;
            }

            above |= count > sets[s].MinAvailable;
        }

        return above ? 2 : 1;
    }

    /// <summary>The sibling queue that would be served last, given the victims already taken from each.</summary>
    private int WorstAmong(int[] siblings)
    {
        var worst = -1;
        QueueCandidate worstCandidate = default;
        foreach (var q in siblings)
        {
            if (_inSubtree[q] == 0)
            {
                continue;
            }

            var candidate = new QueueCandidate(q, -1, _takenPods[q]);
            if (worst < 0 || _session.Plugins.CompareQueues(_session, candidate, worstCandidate) > 0)
            {
                worst = q;
                worstCandidate = candidate;
            }
        }

        return worst;
    }
}
