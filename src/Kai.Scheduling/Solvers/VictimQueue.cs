using System.Runtime.InteropServices;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Running pods in the order they would be given up (KAI's victim order), for one search: the queue that would
/// be served last first — comparing queues with the victims already taken from them plus their next one — within
/// it the pod group that would be scheduled last (<see cref="VictimCatalog"/> order), and per group one pod at a
/// time from the pod set furthest above its minimum, or the whole gang once none is above it. Each step yields
/// one "victim unit". Groups peeled part way go back in line with their new state.
/// </summary>
/// <remarks>
/// What each queue's subtree would give next is remembered until something below it changes: a unit taken from
/// it, groups found ineligible, or its allocation (the queue ledger's version, which changes with any change
/// below the queue; not looked at when the caller keeps the session at one state between units). Queue order depends on nothing else (its contract), so a step compares only the siblings
/// along the path that changed instead of every queue of the tree.
/// </remarks>
internal sealed class VictimQueue
{
    private readonly Session _session;
    private readonly VictimCatalog _catalog;
    private VictimEligibility _eligibility;
    private readonly int[] _inSubtree;
    private readonly Resources.ResourceVector[] _taken;
    private readonly Dictionary<int, List<int>> _remaining;
    private readonly Dictionary<int, int[]> _takenPerSet;
    private readonly HashSet<int> _touched;
    private readonly int[] _walkers;
    private readonly bool[] _walkerHasCurrent;
    private readonly SortedSet<VictimKey>?[] _requeued;
    private readonly PeekMemo[] _memo;

    // With the session at one state between units: per parent (slot 0 for the top level, else parent + 1) its children
    // that have a unit, served last first (a sorted list), each ranked by the candidate it was last looked at with.
    private readonly List<int>?[] _ranked;
    private readonly QueueCandidate[] _candidate;
    private readonly bool[] _isRanked;

    // Per parent slot (as _ranked), its children forgotten since the ranking last looked at them; per queue, whether listed.
    private readonly List<int>?[] _siblingsToLookAt;
    private readonly bool[] _toLookAt;
    private readonly bool[] _siblingsLookedAt;

    // Verdicts already given this walk: per leaf, its walker's current group may be a victim; per queue, it may give.
    private readonly bool[] _headEligible;
    private readonly bool[] _queueMayGive;

    /// <param name="session">The session.</param>
    /// <param name="eligibility">Which groups may be victims (asked only for the groups the walk reaches).</param>
    /// <param name="catalog">The cycle's evictable groups, up to date with the session.</param>
    /// <param name="books">Empty books to keep the walk in (null: new ones).</param>
    public VictimQueue(Session session, VictimEligibility eligibility, VictimCatalog catalog, VictimQueueBooks? books = null)
    {
        _session = session;
        _catalog = catalog;
        _eligibility = eligibility;
        var queues = session.Snapshot.Queues.Count;
        Books = books ?? new VictimQueueBooks(queues);
        (_inSubtree, _taken, _walkers, _walkerHasCurrent, _requeued) = (Books.InSubtree, Books.Taken, Books.Walkers, Books.WalkerHasCurrent, Books.Requeued);
        (_memo, _ranked, _candidate, _isRanked) = (Books.Memo, Books.Ranked, Books.Candidate, Books.IsRanked);
        (_remaining, _takenPerSet, _touched) = (Books.Remaining, Books.TakenPerSet, Books.Touched);
        (_headEligible, _queueMayGive) = (Books.HeadEligible, Books.QueueMayGive);
        (_siblingsToLookAt, _toLookAt, _siblingsLookedAt) = (Books.SiblingsToLookAt, Books.ToLookAt, Books.SiblingsLookedAt);

        // Start from every evictable group; the walk subtracts those it finds ineligible or uses up.
        for (var leaf = 0; leaf < queues; leaf++)
        {
            if (eligibility.OnlyLeaf is { } only && only != leaf)
            {
                continue;
            }

            var count = _catalog.InLeaf(leaf).Count;
            if (count > 0)
            {
                foreach (var q in session.Snapshot.QueueAndAncestors(leaf))
                {
                    _inSubtree[q] += count;
                }
            }
        }
    }

    /// <summary>The books the walk is kept in (for the action to reuse once the walk is dropped).</summary>
    public VictimQueueBooks Books { get; }

    /// <summary>
    /// Whether the session is at one and the same state whenever <see cref="TryNext"/> is called (the caller rolls every
    /// try back before it asks for the next unit). What a queue's subtree gives next then changes only with what this walk
    /// takes, however often tries moved the ledger's versions in between, so it is remembered regardless of them.
    /// </summary>
    public bool SessionUnchangedBetweenUnits { get; init; }

    /// <summary>
    /// Whether a verdict the walk already has is not asked again (the walk looks at a leaf's next group and at the queues
    /// along a path again after each unit; the answers cannot change within a walk); off only in tests that compare.
    /// </summary>
    public bool AsksEachVerdictOnce { get; init; } = true;

    /// <summary>
    /// Whether the ranking of a parent's children (with <see cref="SessionUnchangedBetweenUnits"/>) looks again only at the
    /// children forgotten since it last looked, listed as they are forgotten, instead of going over every child to find
    /// them: a walk takes one unit at a time, so one child per level changed, and a level may have hundreds of queues.
    /// Off only in tests that compare.
    /// </summary>
    public bool LooksOnlyAtForgottenSiblings { get; init; } = true;

    /// <summary>Looks at every child of a parent, after the first, because several had been forgotten (for tests and measurements).</summary>
    internal int SeveralForgotten { get; private set; }

    private bool ListsForgotten => SessionUnchangedBetweenUnits && LooksOnlyAtForgottenSiblings;

    /// <summary>Where every verdict the walk asks for is written down, in the order asked (null: nowhere).</summary>
    public List<VictimVerdict>? Verdicts { get; init; }

    /// <summary>
    /// Asks another preemptor's eligibility from here on. Only right when that eligibility gives every verdict this walk
    /// asked for so far (<see cref="Verdicts"/>) as the one it walked with: the walk is then the one it would have made.
    /// </summary>
    public void AskFrom(VictimEligibility eligibility) => _eligibility = eligibility;

    /// <summary>
    /// The candidate of the top-level queue the last unit came from, as the top-level ranking compared it when the unit was
    /// chosen (its allocation minus what was taken from it before, and the unit).
    /// </summary>
    public QueueCandidate LastTopCandidate { get; private set; }

    /// <summary>
    /// What top-level queue <paramref name="queue"/> offers before anything is taken (null: nothing), looked at as the walk's
    /// first unit looks at it — asking the same verdicts of its subtree, with the same counts.
    /// </summary>
    public QueueCandidate? FirstCandidateOf(int queue)
    {
        if (_inSubtree[queue] == 0)
        {
            return null;
        }

        if (!QueueMayGive(queue, _inSubtree[queue]))
        {
            DropSubtree(queue);
            return null;
        }

        return PeekUnit(queue) is { } unit ? new QueueCandidate(queue, -1, _taken[queue] + unit.Held) : null;
    }

    /// <summary>The next victim unit, or false when there are no more candidates.</summary>
    public bool TryNext(out int group, out List<int> unit)
    {
        // Looking may find groups ineligible (the counts then drop); what it finds is the unit to take.
        if (WorstAmong(-1, _session.Snapshot.TopLevelQueues) is not { } next)
        {
            group = -1;
            unit = [];
            return false;
        }

        var queue = next.Leaf;
        group = next.Group;
        Forget(queue);
        Take(queue, group, next.FromRequeued);
        var remaining = TakeUnit(group, next.Pod, out unit);

        foreach (var q in _session.Snapshot.QueueAndAncestors(queue))
        {
            _taken[q] += next.Held;
        }

        if (remaining > 0)
        {
            var requeued = _requeued[queue] ??= new SortedSet<VictimKey>(Comparer<VictimKey>.Create((a, b) => VictimCatalog.Compare(a, b)));
            requeued.Add(KeyNow(group));
        }
        else
        {
            UseUp(queue);
        }

        return true;
    }

    /// <summary>A whole subtree gives nothing: its candidates leave the counts of its ancestors.</summary>
    private void DropSubtree(int queue)
    {
        var count = _inSubtree[queue];
        ClearCounts(queue);
        for (var q = _session.Snapshot.ParentOf(queue); q >= 0; q = _session.Snapshot.ParentOf(q))
        {
            _inSubtree[q] -= count;
        }

        Forget(queue);
    }

    /// <summary>No queue of the subtree has candidates left (a queue tree is shallow: no stack of its own is needed).</summary>
    private void ClearCounts(int queue)
    {
        _inSubtree[queue] = 0;
        foreach (var child in _session.Snapshot.ChildrenOf(queue))
        {
            ClearCounts(child);
        }
    }

    /// <summary>What the queue and its ancestors would give next must be looked at again.</summary>
    private void Forget(int queue)
    {
        var lists = ListsForgotten;
        for (var q = queue; q >= 0; q = _session.Snapshot.ParentOf(q))
        {
            _memo[q] = default;
            if (lists && !_toLookAt[q])
            {
                _toLookAt[q] = true;
                (_siblingsToLookAt[_session.Snapshot.ParentOf(q) + 1] ??= []).Add(q);
            }
        }
    }

    /// <summary>One group of the leaf is no longer a candidate.</summary>
    private void UseUp(int leaf)
    {
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _inSubtree[q]--;
        }

        Forget(leaf);
    }

    /// <summary>The group a leaf gives up next: the earlier of the catalog's next untouched group and any group back in line.</summary>
    private int Peek(int leaf, out bool fromRequeued)
    {
        var fromCatalog = NextFromCatalog(leaf);
        var requeued = _requeued[leaf] is { Count: > 0 } r ? r.Min : (VictimKey?)null;
        if (requeued is { } key && (fromCatalog < 0 || VictimCatalog.Compare(key, _catalog.KeyOf(fromCatalog)) < 0))
        {
            fromRequeued = true;
            return key.Group;
        }

        fromRequeued = false;
        return fromCatalog;
    }

    private void Take(int leaf, int group, bool fromRequeued)
    {
        if (fromRequeued)
        {
            _requeued[leaf]!.Remove(_requeued[leaf]!.Min);
        }
        else
        {
            MoveWalker(leaf, _catalog.InLeaf(leaf));
        }

        _touched.Add(group);
    }

    /// <summary>The catalog's next eligible group of the leaf that this search has not touched yet, or -1.</summary>
    private int NextFromCatalog(int leaf)
    {
        var groups = _catalog.InLeaf(leaf);
        if (_walkers[leaf] == 0)
        {
            MoveWalker(leaf, groups);
        }

        while (_walkerHasCurrent[leaf] && (_touched.Contains(groups[_walkers[leaf] - 1]) || !HeadIsEligible(leaf, groups[_walkers[leaf] - 1])))
        {
            if (!_touched.Contains(groups[_walkers[leaf] - 1]))
            {
                UseUp(leaf);
            }

            MoveWalker(leaf, groups);
        }

        return _walkerHasCurrent[leaf] ? groups[_walkers[leaf] - 1] : -1;
    }

    private void MoveWalker(int leaf, List<int> groups)
    {
        _walkerHasCurrent[leaf] = ++_walkers[leaf] <= groups.Count;
        _headEligible[leaf] = false;
    }

    /// <summary>
    /// Whether the leaf's next group in the catalog may be a victim: asked once while it is the leaf's next (the walk looks
    /// at it again after each unit taken elsewhere in the leaf's subtree, and the answer cannot change).
    /// </summary>
    private bool HeadIsEligible(int leaf, int group)
    {
        if (_headEligible[leaf] && AsksEachVerdictOnce)
        {
            return true;
        }

        _headEligible[leaf] = IsEligible(group);
        return _headEligible[leaf];
    }

    private bool IsEligible(int group)
    {
        var eligible = _eligibility.IsEligible(group);
        Verdicts?.Add(new VictimVerdict(IsQueue: false, group, 0, eligible));
        return eligible;
    }

    /// <summary>Whether a queue's subtree may give victims: asked once per walk while it may (else the subtree is dropped).</summary>
    private bool QueueMayGive(int queue, int groups)
    {
        if (_queueMayGive[queue] && AsksEachVerdictOnce)
        {
            return true;
        }

        var may = _eligibility.QueueMayGive(queue, groups);
        Verdicts?.Add(new VictimVerdict(IsQueue: true, queue, groups, may));
        _queueMayGive[queue] = may;
        return may;
    }

    /// <summary>
    /// Takes one pod of the group (<paramref name="pod"/>), or every remaining one (-1), as the unit; how many remain. A
    /// group's remaining pods and taken counts are written down only once it is taken from and keeps pods: until then they
    /// are the catalog's pods and none, and most groups are taken whole at once (one pod, or a gang at its minimum).
    /// </summary>
    private int TakeUnit(int group, int pod, out List<int> unit)
    {
        if (!_remaining.TryGetValue(group, out var remaining))
        {
            var all = _catalog.PodsOf(group);
            if (pod < 0 || all.Length == 1)
            {
                unit = NewUnit();
                if (pod >= 0)
                {
                    unit.Add(pod);
                }
                else
                {
                    unit.AddRange(all);
                }

                return 0;
            }

            remaining = [.. all];
            _remaining[group] = remaining;
            _takenPerSet[group] = new int[_session.Snapshot.PodSetsOf(group).Count];
        }

        unit = NewUnit();
        if (pod >= 0)
        {
            unit.Add(pod);
            remaining.Remove(pod);
        }
        else
        {
            unit.AddRange(remaining);
            remaining.Clear();
        }

        var taken = _takenPerSet[group];
        foreach (var taking in unit)
        {
            taken[_session.Snapshot.PodSetIndexOf(taking)]++;
        }

        return remaining.Count;
    }

    /// <summary>An empty list for a unit's pods: one of a dropped walk's, where the books were kept.</summary>
    private List<int> NewUnit() => Books.SpareUnits.TryPop(out var spare) ? spare : [];

    /// <summary>One pod from the pod set furthest above its minimum, else every remaining pod.</summary>
    private Unit NextUnit(int leaf, int group, bool fromRequeued)
    {
        // A group not taken from yet: the catalog's pods, none taken.
        ReadOnlySpan<int> remaining = _remaining.TryGetValue(group, out var left) ? CollectionsMarshal.AsSpan(left) : _catalog.PodsOf(group);
        var sets = _session.Snapshot.PodSetsOf(group);
        var taken = _takenPerSet.GetValueOrDefault(group);
        var pod = -1;
        var mostOverBy = 0;
        for (var s = 0; s < sets.Count; s++)
        {
            var over = _session.Gangs.ActiveAllocated(group, s) - (taken?[s] ?? 0) - sets[s].MinAvailable;
            if (over > mostOverBy && FirstOfSet(remaining, s) is >= 0 and var first)
            {
                pod = first;
                mostOverBy = over;
            }
        }

        return pod < 0
            ? new Unit(leaf, group, fromRequeued, -1, Held(remaining))
            : new Unit(leaf, group, fromRequeued, pod, _session.AllocatedOf(pod));
    }

    /// <summary>The first of <paramref name="pods"/> in pod set <paramref name="set"/>, or -1.</summary>
    private int FirstOfSet(ReadOnlySpan<int> pods, int set)
    {
        foreach (var pod in pods)
        {
            if (_session.Snapshot.PodSetIndexOf(pod) == set)
            {
                return pod;
            }
        }

        return -1;
    }

    /// <summary>The victim key of a group given what this search has taken from it.</summary>
    private VictimKey KeyNow(int group) =>
        _catalog.KeyOf(group) with { GangState = _session.Gangs.GangState(group, _takenPerSet[group]) };

    /// <summary>
    /// The sibling queue that would be served last, comparing each by its allocation minus the victims already
    /// taken from it and its next one (KAI's victim-mode queue order).
    /// </summary>
    private Unit? WorstAmong(int parent, int[] siblings) =>
        SessionUnchangedBetweenUnits ? WorstRanked(parent, siblings) : WorstByScan(parent, siblings);

    /// <summary>
    /// <see cref="WorstAmong"/> from the siblings kept in queue order: only those whose next unit changed since (their
    /// memo was forgotten) are looked at and ranked again. Queue order is a strict total order on candidates, so the
    /// first of the ranking is the one a scan of every sibling would find.
    /// </summary>
    private Unit? WorstRanked(int parent, int[] siblings)
    {
        var ranked = _ranked[parent + 1] ??= [];
        if (ListsForgotten)
        {
            LookAtForgotten(parent, siblings, ranked);
        }
        else
        {
            foreach (var q in siblings)
            {
                LookAt(q, ranked);
            }
        }

        if (ranked.Count == 0)
        {
            return null;
        }

        if (parent < 0)
        {
            LastTopCandidate = _candidate[ranked[0]];
        }

        return _memo[ranked[0]].Unit;
    }

    /// <summary>Ranks a child again for its next unit, unless that is remembered.</summary>
    private void LookAt(int q, List<int> ranked)
    {
        if (_memo[q].Valid)
        {
            return;
        }

        var next = _inSubtree[q] == 0 ? null
            : !QueueMayGive(q, _inSubtree[q]) ? DropAndGiveNothing(q)
            : PeekUnit(q);
        Rerank(ranked, q, next is { } unit ? new QueueCandidate(q, -1, _taken[q] + unit.Held) : null);
    }

    /// <summary>
    /// Looks at the children of <paramref name="parent"/> a scan of all of them would look at again, in their order: every
    /// child the first time, and again where several were forgotten since (children dropped in a look stay listed once, and
    /// a scan keeps the order without sorting); otherwise the one forgotten. A child looked at and left forgotten gives
    /// nothing again (its subtree has no candidates left: counts only drop) and is out of the ranking, so the scan's look at
    /// it is void.
    /// </summary>
    private void LookAtForgotten(int parent, int[] siblings, List<int> ranked)
    {
        var forgotten = _siblingsToLookAt[parent + 1] ??= [];
        if (!_siblingsLookedAt[parent + 1] || forgotten.Count > 1)
        {
            SeveralForgotten += _siblingsLookedAt[parent + 1] ? 1 : 0;
            foreach (var q in forgotten)
            {
                _toLookAt[q] = false;
            }

            // Those forgotten while the children are looked at are listed again, for the next look.
            forgotten.Clear();
            _siblingsLookedAt[parent + 1] = true;
            foreach (var q in siblings)
            {
                LookAt(q, ranked);
            }

            return;
        }

        if (forgotten.Count == 1)
        {
            var queue = forgotten[0];
            forgotten.Clear();
            _toLookAt[queue] = false;
            LookAt(queue, ranked);
        }
    }

    private Unit? DropAndGiveNothing(int queue)
    {
        DropSubtree(queue);
        return null;
    }

    /// <summary>
    /// Puts a queue at its place for its new candidate (out of the ranking without one). The queue served last that
    /// stays so — the common case, as a walk takes unit after unit from it — keeps its place after one comparison.
    /// </summary>
    private void Rerank(List<int> ranked, int queue, QueueCandidate? candidate)
    {
        if (candidate is { } stillRanked && _isRanked[queue] && ranked[0] == queue)
        {
            if (ranked.Count == 1 || _session.Plugins.CompareQueues(_session, _candidate[ranked[1]], stillRanked) < 0)
            {
                _candidate[queue] = stillRanked;
                return;
            }
        }

        if (_isRanked[queue])
        {
            ranked.RemoveAt(ranked.IndexOf(queue));
            _isRanked[queue] = false;
        }

        if (candidate is { } ranking)
        {
            _candidate[queue] = ranking;
            _isRanked[queue] = InsertRanked(ranked, queue);
        }
    }

    /// <summary>The ranking's order: negative when queue <paramref name="a"/> would be served after <paramref name="b"/> (each by its candidate).</summary>
    private int ServedLastFirst(int a, int b) => a == b ? 0 : _session.Plugins.CompareQueues(_session, _candidate[b], _candidate[a]);

    /// <summary>
    /// Puts the queue in the ranking at its place, served last first (a sorted list: a parent has few children, and a
    /// sorted set allocated a node per insertion and a stack per look at its second); false when a queue ranks equal to it,
    /// as a set would refuse it.
    /// </summary>
    private bool InsertRanked(List<int> ranked, int queue)
    {
        var (low, high) = (0, ranked.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = ServedLastFirst(queue, ranked[middle]);
            if (order == 0)
            {
                return false;
            }

            (low, high) = order > 0 ? (middle + 1, high) : (low, middle - 1);
        }

        ranked.Insert(low, queue);
        return true;
    }

    /// <summary><see cref="WorstAmong"/> comparing every sibling (the ledger's versions tell which next units are stale).</summary>
    private Unit? WorstByScan(int parent, int[] siblings)
    {
        Unit? worst = null;
        QueueCandidate worstCandidate = default;
        foreach (var q in siblings)
        {
            if (_inSubtree[q] == 0)
            {
                continue;
            }

            if (!QueueMayGive(q, _inSubtree[q]))
            {
                DropSubtree(q);
                continue;
            }

            if (PeekUnit(q) is not { } next)
            {
                continue;
            }

            var candidate = new QueueCandidate(q, -1, _taken[q] + next.Held);
            if (worst is null || _session.Plugins.CompareQueues(_session, candidate, worstCandidate) > 0)
            {
                worst = next;
                worstCandidate = candidate;
            }
        }

        if (parent < 0 && worst is not null)
        {
            LastTopCandidate = worstCandidate;
        }

        return worst;
    }

    private Resources.ResourceVector Held(ReadOnlySpan<int> pods)
    {
        var sum = Resources.ResourceVector.Zero;
        foreach (var pod in pods)
        {
            sum += _session.AllocatedOf(pod);
        }

        return sum;
    }

    /// <summary>The unit this queue's subtree would give up next, without taking it; null when it has none.</summary>
    private Unit? PeekUnit(int queue)
    {
        var memo = _memo[queue];
        if (memo.Valid && (SessionUnchangedBetweenUnits || memo.LedgerVersion == _session.Queues.Versions[queue]))
        {
            return memo.Unit;
        }

        Unit? unit;
        if (_session.Snapshot.IsLeaf(queue))
        {
            var group = Peek(queue, out var fromRequeued);
            unit = group < 0 ? null : NextUnit(queue, group, fromRequeued);
        }
        else
        {
            unit = WorstAmong(queue, _session.Snapshot.ChildrenOf(queue));
        }

        _memo[queue] = new PeekMemo(true, _session.Queues.Versions[queue], unit);
        return unit;
    }

    /// <summary>A queue's next unit as last looked at, valid while nothing below it changed and its ledger version is the same.</summary>
    internal readonly record struct PeekMemo(bool Valid, int LedgerVersion, Unit? Unit);

    /// <summary>
    /// A victim unit found by looking, not yet taken: the leaf and group it comes from, whether the group is back
    /// in line, one pod of it (or -1 for every remaining pod), and what the unit holds.
    /// </summary>
    internal readonly record struct Unit(int Leaf, int Group, bool FromRequeued, int Pod, Resources.ResourceVector Held);
}
