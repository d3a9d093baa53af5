using System.Runtime.InteropServices;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// The order one victim-search try simulates in (KAI's: every pod group with a pending pod, the victims and the
/// preemptor, in normal scheduling order), yielding only the groups the try acts on. The same order as a
/// <see cref="JobQueue"/> over all of them, popped until every acted group came out; without building one.
/// </summary>
/// <remarks>
/// <para>
/// Each leaf's sequence is the cycle's <see cref="PendingOrder"/> with the acted groups taken out and put back where
/// job order places them now (a victim's state changed when it was evicted). The acted groups are few; the others
/// are many, and passing them over changes no allocation: all they do is speak for their queue while they are its
/// best job.
/// </para>
/// <para>
/// So while no acted group is placed, the winning leaf keeps winning as long as its next job beats, at every level
/// of its path, the best sibling there (the runner-up, which does not change meanwhile). Queue order sees a job
/// only through its request class (its contract), so one comparison per class and level decides for every job of
/// that class in the leaf: the leaf passes over its jobs up to the first one of a losing class, or the next acted
/// group, in one step. Ties cannot occur between queues (order falls back to the queue's name), and every choice
/// is the strict minimum, so the leaves come out exactly as a <see cref="JobQueue"/> pops them.
/// </para>
/// <para>
/// Only the subtrees that still hold acted groups take part at all: a subtree without one only passes over its
/// jobs, which changes no queue's allocation, so it never changes which of the others wins. Where one subtree alone
/// holds acted groups it wins without a comparison, and a leaf alone passes over everything up to its next acted
/// group in one step; so after the preemptor, victims of one queue come out without walking the queues below their
/// fair share at all.
/// </para>
/// </remarks>
internal sealed class SimulationOrder : ICandidateJudge
{
    private readonly Session _session;
    private readonly PendingOrder _pending;
    private readonly int[] _remaining;
    private readonly int[] _actedIn;
    private readonly int[] _baseHead;
    private readonly int[] _structure;
    private readonly SimulationWorkspace.BestDownEntry[] _bestDown;
    private readonly LeafOverlay[] _overlays;

    // The acted groups in a leaf queue, by leaf and in job order within each (an overlay's range), where each goes among
    // its leaf's pending groups, and per overlay the ascending positions its groups leave in the pending order.
    private readonly int[] _overlayGroups;
    private readonly int[] _overlayInsertAt;
    private readonly int[] _overlayRemoved;
    private readonly List<int> _path;
    private readonly List<QueueCandidate?> _runnersUp;
    private FirstPhase? _replay;
    private FirstPhaseRecorder? _recorder;
    private readonly List<int> _nextOfClass;
    private readonly List<PassOverLevel> _levels;
    private readonly Dictionary<(int Queue, int Class, int OtherQueue, int OtherClass), int> _comparisons;
    private readonly SimulationWorkspace _workspace;
    private int _epoch;
    private readonly int[] _acted;
    private readonly HashSet<int>? _actedSet;
    private int _actedStamp;
    private int _actedLeft;
    private int _removedCount;

    /// <param name="session">The session, with the try's victims evicted.</param>
    /// <param name="pending">The cycle's pending groups in job order, in sync with the session's commits.</param>
    /// <param name="acted">The groups the try acts on: the victims' and the preemptor's.</param>
    /// <param name="firstPhase">The search's walk up to the preemptor with no victim evicted (<see cref="RecordFirstPhase"/>), replayed when this try's victims cannot change it.</param>
    public SimulationOrder(Session session, PendingOrder pending, IEnumerable<int> acted, FirstPhase? firstPhase = null)
    {
        _replay = firstPhase;
        _session = session;
        _pending = pending;
        _workspace = pending.Workspace;
        _epoch = _workspace.Lend(pending.CountInSubtree);
        (_remaining, _actedIn, _baseHead, _structure, _bestDown) = (_workspace.Remaining, _workspace.ActedIn, _workspace.BaseHead, _workspace.Structure, _workspace.BestDown);
        (_path, _runnersUp, _nextOfClass, _comparisons) = (_workspace.Path, _workspace.RunnersUp, _workspace.NextOfClass, _workspace.Comparisons);
        _levels = _workspace.PassOverLevels;
        if (pending.StampsActedGroups)
        {
            (_acted, _actedStamp) = _workspace.StampActed(acted);
        }
        else
        {
            _actedSet = [.. acted];
            _acted = [.. _actedSet];
        }

        (_overlayGroups, _overlays, _overlayRemoved) = Overlays(session, pending, _acted);
        _overlayInsertAt = new int[_overlayGroups.Length];
        foreach (ref var overlay in _overlays.AsSpan())
        {
            TakeOutOfTheWalk(ref overlay);
        }

        PlaceActedGroups();
        _workspace.KeepOverlays(_overlays.AsSpan(), _epoch);
    }

    /// <summary>
    /// The acted groups in a leaf queue sorted by leaf and then job order, their leaves' overlays (each a range of them),
    /// and room for the positions they leave in the pending order.
    /// </summary>
    private static (int[] Groups, LeafOverlay[] Overlays, int[] Removed) Overlays(Session session, PendingOrder pending, int[] acted)
    {
        var snapshot = session.Snapshot;
        var inLeaves = 0;
        var removed = 0;
        foreach (var group in acted)
        {
            inLeaves += snapshot.QueueOf(group) >= 0 ? 1 : 0;
            removed += snapshot.QueueOf(group) >= 0 && pending.PositionOf(group) >= 0 ? 1 : 0;
        }

        var groups = new int[inLeaves];
        var leaves = 0;
        var n = 0;
        foreach (var group in acted)
        {
            if (snapshot.QueueOf(group) >= 0)
            {
                groups[n++] = group;
            }
        }

        groups.AsSpan().Sort(new LeafThenJobOrder(session));
        for (var i = 0; i < groups.Length; i++)
        {
            leaves += i == 0 || snapshot.QueueOf(groups[i]) != snapshot.QueueOf(groups[i - 1]) ? 1 : 0;
        }

        var overlays = new LeafOverlay[leaves];
        var o = -1;
        for (var i = 0; i < groups.Length; i++)
        {
            var leaf = snapshot.QueueOf(groups[i]);
            if (o < 0 || overlays[o].Leaf != leaf)
            {
                overlays[++o] = new LeafOverlay { Leaf = leaf, GroupStart = i, Next = i };
            }

            overlays[o].GroupEnd = i + 1;
        }

        return (groups, overlays, new int[removed]);
    }

    /// <summary>
    /// Counts an overlay's groups as acted ones still to come out, takes those in the pending order out of their places
    /// there (they go back where job order puts them now), and counts the others among their queues' groups.
    /// </summary>
    private void TakeOutOfTheWalk(ref LeafOverlay overlay)
    {
        var snapshot = _session.Snapshot;
        overlay.RemovedStart = _removedCount;
        for (var i = overlay.GroupStart; i < overlay.GroupEnd; i++)
        {
            _actedLeft++;
            foreach (var q in snapshot.QueueAndAncestors(overlay.Leaf))
            {
                _actedIn[q]++;
            }

            var position = _pending.PositionOf(_overlayGroups[i]);
            if (position >= 0)
            {
                _overlayRemoved[_removedCount++] = position;
                continue;
            }

            foreach (var q in snapshot.QueueAndAncestors(overlay.Leaf))
            {
                _remaining[q]++;
            }
        }

        overlay.RemovedEnd = _removedCount;
        _overlayRemoved.AsSpan(overlay.RemovedStart, overlay.RemovedEnd - overlay.RemovedStart).Sort();
    }

    /// <summary>Where each acted group goes among its leaf's pending groups.</summary>
    private void PlaceActedGroups()
    {
        foreach (ref readonly var overlay in _overlays.AsSpan())
        {
            var jobs = _pending.Of(overlay.Leaf)?.Jobs ?? [];
            for (var i = overlay.GroupStart; i < overlay.GroupEnd; i++)
            {
                _overlayInsertAt[i] = InsertionPoint(jobs, RemovedOf(overlay), _overlayGroups[i]);
            }
        }
    }

    private ReadOnlySpan<int> RemovedOf(in LeafOverlay overlay) => _overlayRemoved.AsSpan(overlay.RemovedStart, overlay.RemovedEnd - overlay.RemovedStart);

    /// <summary>The leaf's overlay, when the try acts on groups in it.</summary>
    private bool HasOverlay(int leaf, out int index) => _workspace.OverlayOf(leaf, _epoch, out index);

    /// <summary>The next acted group in simulation order; false when every acted group has come out.</summary>
    public bool TryNext(out int group)
    {
        if (_workspace.Epoch != _epoch)
        {
            throw new InvalidOperationException("A later simulation order took this one's workspace: orders of one pending order are used one at a time.");
        }

        // Allocations changed since the last call (the caller placed the group it got): comparisons are taken anew.
        _comparisons.Clear();
        if (_replay is { } replay)
        {
            _replay = null;
            if (TryReplay(replay))
            {
                _pending.FirstPhasesReplayed++;
                group = replay.Preemptor;
                return true;
            }
        }

        while (_actedLeft > 0)
        {
            var leaf = ChooseLeaf();
            if (leaf < 0)
            {
                group = -1;
                return false;
            }

            if (HeadIsActed(leaf, out var head))
            {
                _recorder?.Popped(this, leaf, head);
                ActedCameOut(leaf);
                Consumed(leaf, 1);
                group = head;
                return true;
            }

            PassOver(leaf);
        }

        group = -1;
        return false;
    }

    /// <summary>
    /// Where the walk stands now, to go on from here again later (<see cref="Resume"/>): taken when the preemptor comes
    /// out, so that a victim search can place one pod more and walk the rest again without walking up to it.
    /// </summary>
    public OrderMark Mark() => MarkInto(new OrderMark());

    /// <summary>
    /// <see cref="Mark"/> written into the workspace's one kept mark instead of new arrays: valid until the next order of
    /// this pending order takes it (a victim search holds one chain at a time, and the action one search at a time).
    /// </summary>
    public OrderMark MarkInWorkspace() => MarkInto(_workspace.KeptMark);

    private OrderMark MarkInto(OrderMark mark)
    {
        mark.Taken(_remaining.Length, _overlays.Length);
        _remaining.CopyTo(mark.Remaining, 0);
        _actedIn.CopyTo(mark.ActedIn, 0);
        _baseHead.CopyTo(mark.BaseHead, 0);
        for (var i = 0; i < _overlays.Length; i++)
        {
            mark.OverlayNext[i] = _overlays[i].Next;
        }

        mark.ActedLeft = _actedLeft;
        return mark;
    }

    /// <summary>
    /// Puts the walk back where <paramref name="mark"/> was taken, under a new lending of the workspace (so no remembered
    /// best-down entry of the walk since is read). The session must be as it was then, but for what the caller does
    /// before it walks on (at the preemptor's mark: the preemptor's placement, as after any <see cref="TryNext"/>).
    /// </summary>
    public void Resume(OrderMark mark)
    {
        if (mark.OverlayNext.Length != _overlays.Length)
        {
            throw new InvalidOperationException("The mark was taken of another order.");
        }

        _epoch = _workspace.Lend(_pending.CountInSubtree);
        mark.Remaining.CopyTo(_remaining, 0);
        mark.ActedIn.CopyTo(_actedIn, 0);
        mark.BaseHead.CopyTo(_baseHead, 0);
        for (var i = 0; i < _overlays.Length; i++)
        {
            _overlays[i].Next = mark.OverlayNext[i];
        }

        _workspace.KeepOverlays(_overlays.AsSpan(), _epoch);

        _actedLeft = mark.ActedLeft;
        _replay = null;
        if (_actedSet is null)
        {
            // The workspace's marks may have been given to a later order's acted groups meanwhile.
            _actedStamp = _workspace.StampAgain(_acted);
        }
    }

    /// <summary>
    /// Whether the queue's allocation can still take part in the walk: some acted group still to come out is under it or
    /// under one of its ancestors. Only subtrees holding acted groups compete (<see cref="ChooseLeaf"/>), so a queue for
    /// which this is false is never compared again, whatever it is allocated.
    /// </summary>
    public bool TakesPart(int queue)
    {
        foreach (var q in _session.Snapshot.QueueAndAncestors(queue))
        {
            if (_actedIn[q] > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A walk's position (<see cref="Mark"/>): the per-queue counts and heads, and each acted leaf's next acted group. A kept
    /// mark (<see cref="MarkInWorkspace"/>) is written again by every order that takes it; <see cref="Serial"/> tells which.
    /// </summary>
    internal sealed class OrderMark
    {
        public int[] Remaining { get; private set; } = [];

        public int[] ActedIn { get; private set; } = [];

        public int[] BaseHead { get; private set; } = [];

        public int[] OverlayNext { get; private set; } = [];

        public int ActedLeft { get; set; }

        /// <summary>How many times the mark was taken: a holder that finds another number than it was given holds a mark written since.</summary>
        public int Serial { get; private set; }

        /// <summary>Taken again: the arrays sized for <paramref name="queues"/> and <paramref name="overlays"/> (kept when they fit).</summary>
        public void Taken(int queues, int overlays)
        {
            Serial++;
            if (Remaining.Length != queues)
            {
                (Remaining, ActedIn, BaseHead) = (new int[queues], new int[queues], new int[queues]);
            }

            if (OverlayNext.Length != overlays)
            {
                OverlayNext = new int[overlays];
            }
        }
    }

    /// <summary>
    /// Walks the search's order with no victim evicted up to the preemptor, remembering where every leaf stood then,
    /// which top-level queues gave up groups, and the worst of what came out at the top level. Where the pending order
    /// lends its books (<see cref="PendingOrder.LendsFirstPhaseBooks"/>), the phase is written into the workspace's one
    /// kept phase, valid until the next search records its own (searches run one at a time).
    /// </summary>
    public static FirstPhase RecordFirstPhase(Session session, PendingOrder pending, int preemptor)
    {
        var books = pending.LendsFirstPhaseBooks ? pending.Workspace.FirstPhaseBooks.Taken() : null;
        var recorder = new FirstPhaseRecorder(books?.TopLevels ?? []);
        var order = new SimulationOrder(session, pending, [preemptor]) { _recorder = recorder };

        // What each queue held before the walk, less what it holds after: no copy of the counts before.
        var consumed = books?.Consumed ?? new int[order._remaining.Length];
        order._remaining.CopyTo(consumed, 0);
        order.TryNext(out _);
        for (var q = 0; q < consumed.Length; q++)
        {
            consumed[q] -= order._remaining[q];
        }

        var heads = books?.Heads ?? new int[order._baseHead.Length];
        order._baseHead.CopyTo(heads, 0);
        return new FirstPhase(preemptor, heads, consumed, recorder.TopLevels, recorder.Worst) { Books = books, Serial = books?.Serial ?? 0 };
    }

    /// <summary>
    /// Takes the recorded first phase as this try's when it cannot differ: the victims change only their own queues
    /// and those above them, so a top-level queue above a victim must have given up nothing in the recorded walk and
    /// must lose to the worst of what came out there (then it never wins, and never ends a run early).
    /// </summary>
    private bool TryReplay(FirstPhase replay)
    {
        if (replay.Books is { } books && books.Serial != replay.Serial)
        {
            throw new InvalidOperationException("A later search's first phase took this one's books: first phases of one pending order are used one search at a time.");
        }

        var snapshot = _session.Snapshot;
        if (replay.Worst is null || !IsActed(replay.Preemptor))
        {
            // The preemptor never came out of the recorded walk (it is in no leaf queue), or this is another search.
            return false;
        }

        foreach (var group in _acted)
        {
            if (group == replay.Preemptor || snapshot.QueueOf(group) < 0)
            {
                continue;
            }

            var top = snapshot.TopLevelOf(snapshot.QueueOf(group));
            if (replay.TopLevels.Contains(top) || replay.Worst is not { } worst
                || Compare(new QueueCandidate(top, BestJob(top)), worst) <= 0)
            {
                return false;
            }
        }

        for (var q = 0; q < _remaining.Length; q++)
        {
            _baseHead[q] = replay.Heads[q];
            _remaining[q] -= replay.Consumed[q];
            _structure[q]++;
        }

        // The recorded walk counted the preemptor among the groups taken.
        ActedCameOut(snapshot.QueueOf(replay.Preemptor));
        return true;
    }

    /// <summary>The walk up to the preemptor with no victim evicted: each leaf's position after it, groups taken per queue, the top-level queues that gave some, and the worst of them.</summary>
    internal sealed record FirstPhase(int Preemptor, int[] Heads, int[] Consumed, HashSet<int> TopLevels, QueueCandidate? Worst)
    {
        /// <summary>The workspace's kept phase this one was written into (null: its own arrays).</summary>
        public FirstPhaseBooks? Books { get; init; }

        /// <summary>The books' taking this phase was written in: a later one means another search took them.</summary>
        public int Serial { get; init; }
    }

    /// <summary>
    /// The arrays and set of one first phase, kept in the workspace and written again by each search's first phase
    /// (two arrays of the queues' count each: some 4 KB a search at a few hundred queues).
    /// </summary>
    internal sealed class FirstPhaseBooks(int queues)
    {
        public int[] Heads { get; } = new int[queues];

        public int[] Consumed { get; } = new int[queues];

        public HashSet<int> TopLevels { get; } = [];

        /// <summary>How many times the books were taken; a phase remembers the taking it was written in.</summary>
        public int Serial { get; private set; }

        /// <summary>Taken by a new first phase: the set emptied (the arrays are written whole).</summary>
        public FirstPhaseBooks Taken()
        {
            Serial++;
            TopLevels.Clear();
            return this;
        }
    }

    /// <summary>What comes out at the top level while a first phase is recorded.</summary>
    private sealed class FirstPhaseRecorder(HashSet<int> topLevels)
    {
        public HashSet<int> TopLevels { get; } = topLevels;

        public QueueCandidate? Worst { get; private set; }

        public void Popped(SimulationOrder order, int leaf, int job)
        {
            var top = order._session.Snapshot.TopLevelOf(leaf);
            TopLevels.Add(top);
            var candidate = new QueueCandidate(top, job);
            if (Worst is not { } worst || order.Compare(candidate, worst) > 0)
            {
                Worst = candidate;
            }
        }
    }

    /// <summary>
    /// The leaf whose next group comes out next, with its path and each level's runner-up in <see cref="_path"/> and
    /// <see cref="_runnersUp"/>; -1 when nothing is left. Only subtrees holding acted groups take part: the others'
    /// pops change no allocation, so they never change which of the acted subtrees wins (queue order is a strict
    /// total order over each queue's own state and its job's class). Where one subtree alone holds acted groups it
    /// wins without a comparison; where several do, they compete with the best job of their whole subtree.
    /// </summary>
    private int ChooseLeaf()
    {
        _path.Clear();
        _runnersUp.Clear();
        var snapshot = _session.Snapshot;
        var siblings = snapshot.TopLevelQueues;
        var top = true;
        while (true)
        {
            var sole = SoleWithActed(siblings);
            if (sole == NoneActed)
            {
                return -1;
            }

            // While a first phase is recorded its top-level queue competes with its whole subtree, as in any try
            // whose victims are elsewhere.
            if (sole >= 0 && (snapshot.IsLeaf(sole) || !top || _recorder is null))
            {
                _path.Add(sole);
                _runnersUp.Add(null);
                if (snapshot.IsLeaf(sole))
                {
                    return sole;
                }

                siblings = snapshot.ChildrenOf(sole);
                top = false;
                continue;
            }

            var (best, runnerUp) = sole >= 0 ? (new QueueCandidate(sole, BestJob(sole)), null) : BestAmong(siblings, actedOnly: true);
            _path.Add(best.Queue);
            _runnersUp.Add(runnerUp);
            return FollowBest(best.Queue);
        }
    }

    private const int NoneActed = -1;

    private const int SeveralActed = -2;

    /// <summary>The only sibling whose subtree still holds acted groups; <see cref="SeveralActed"/> or <see cref="NoneActed"/> otherwise.</summary>
    private int SoleWithActed(int[] siblings)
    {
        var sole = NoneActed;
        foreach (var q in siblings)
        {
            if (_actedIn[q] > 0)
            {
                if (sole != NoneActed)
                {
                    return SeveralActed;
                }

                sole = q;
            }
        }

        return sole;
    }

    /// <summary>Follows the best child down from a competing queue to its leaf, adding each level and its runner-up to the path.</summary>
    private int FollowBest(int queue)
    {
        while (!_session.Snapshot.IsLeaf(queue))
        {
            var down = _bestDown[queue];
            _path.Add(down.Best.Queue);
            _runnersUp.Add(down.RunnerUp);
            queue = down.Best.Queue;
        }

        return queue;
    }

    /// <summary>The leaf's next acted group came out.</summary>
    private void ActedCameOut(int leaf)
    {
        HasOverlay(leaf, out var index);
        _overlays[index].Next++;
        _actedLeft--;
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _actedIn[q]--;
        }
    }

    /// <summary>Passes over the winning leaf's run of pending groups that are not acted on, in one step.</summary>
    private void PassOver(int leaf)
    {
        var jobs = _pending.Of(leaf)!;
        var head = _baseHead[leaf];
        var stop = StopOf(leaf, jobs.Jobs.Length);
        if (_recorder is null && _runnersUp.TrueForAll(r => r is null))
        {
            // Nothing competes on the path: the leaf passes over everything up to the stop.
            _baseHead[leaf] = stop;
            Consumed(leaf, stop - head);
            return;
        }

        // The head won the full comparison just now, and so does every job of its class; each other class comes up
        // once (at its first position after the head), so its one comparison decides for all its jobs.
        var headClass = jobs.Classes[head];
        _nextOfClass.Clear();
        foreach (var positions in jobs.PositionsByClass)
        {
            var next = FirstAfter(positions, head);
            if (next < positions.Length && positions[next] < stop)
            {
                _nextOfClass.Add(positions[next]);
            }
        }

        CollectionsMarshal.AsSpan(_nextOfClass).Sort();
        PrepareLevels();
        _recorder?.Popped(this, leaf, jobs.Jobs[head]);
        var end = stop;
        foreach (var position in _nextOfClass)
        {
            if (jobs.Classes[position] == headClass)
            {
                continue;
            }

            if (!KeepsWinning(jobs.Jobs[position]))
            {
                end = position;
                break;
            }

            _recorder?.Popped(this, leaf, jobs.Jobs[position]);
        }

        _baseHead[leaf] = end;
        Consumed(leaf, end - head);
    }

    /// <summary>
    /// The path's levels that have a runner-up, each with what stays of its comparisons while the leaf passes over
    /// (<see cref="PendingOrder.Prepare"/>): neither the path's queues nor the runners-up change meanwhile, only the class.
    /// </summary>
    private void PrepareLevels()
    {
        _levels.Clear();
        for (var level = 0; level < _path.Count; level++)
        {
            if (_runnersUp[level] is { } runnerUp)
            {
                var byClasses = !IsActed(runnerUp.BestJob);
                var prepared = byClasses ? _pending.Prepare(_path[level], runnerUp.Queue, runnerUp.BestJob) : default;
                _levels.Add(new PassOverLevel(_path[level], runnerUp, byClasses, prepared));
            }
        }
    }

    /// <summary>Whether a job at the head of the leaf would still win at every level of the path (<see cref="PrepareLevels"/>).</summary>
    private bool KeepsWinning(int job)
    {
        var acted = IsActed(job);
        foreach (ref readonly var level in CollectionsMarshal.AsSpan(_levels))
        {
            var order = level.ByClasses && !acted
                ? _pending.ComparePrepared(level.Prepared, level.Queue, job, level.RunnerUp.Queue, level.RunnerUp.BestJob)
                : Compare(new QueueCandidate(level.Queue, job), level.RunnerUp);
            if (order >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A level of the path a pass-over must keep winning at: its queue, the runner-up there, and how they compare.</summary>
    internal readonly record struct PassOverLevel(int Queue, QueueCandidate RunnerUp, bool ByClasses, PendingOrder.ClassComparison Prepared);

    /// <summary>Where the run of pending groups must stop at the latest: the next acted group, or a removed entry.</summary>
    private int StopOf(int leaf, int length)
    {
        var stop = length;
        if (HasOverlay(leaf, out var index))
        {
            ref readonly var overlay = ref _overlays[index];
            if (overlay.Next < overlay.GroupEnd)
            {
                stop = Math.Min(stop, _overlayInsertAt[overlay.Next]);
            }

            foreach (var removed in RemovedOf(overlay))
            {
                if (removed >= _baseHead[leaf])
                {
                    stop = Math.Min(stop, removed);
                    break;
                }
            }
        }

        return stop;
    }

    /// <summary>The leaf's next group; true when it is an acted one (the overlay's), false for a pending group.</summary>
    private bool HeadIsActed(int leaf, out int group)
    {
        var jobs = _pending.Of(leaf)?.Jobs ?? [];
        if (HasOverlay(leaf, out var index))
        {
            // Entries of acted groups in the pending order are skipped: they stand where the overlay puts them.
            ref readonly var overlay = ref _overlays[index];
            while (RemovedOf(overlay).BinarySearch(_baseHead[leaf]) >= 0)
            {
                _baseHead[leaf]++;
            }

            if (overlay.Next < overlay.GroupEnd && _overlayInsertAt[overlay.Next] <= _baseHead[leaf])
            {
                group = _overlayGroups[overlay.Next];
                return true;
            }
        }

        group = jobs[_baseHead[leaf]];
        return false;
    }

    private int Head(int leaf)
    {
        HeadIsActed(leaf, out var group);
        return group;
    }

    private void Consumed(int leaf, int count)
    {
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _remaining[q] -= count;
            _structure[q]++;
        }
    }

    /// <summary>
    /// The best queue among siblings that still hold groups, with the best job down its chain (as <see cref="JobQueue"/>),
    /// and the best of the others (the runner-up a run must keep beating).
    /// </summary>
    private (QueueCandidate Best, QueueCandidate? RunnerUp) BestAmong(int[] siblings, bool actedOnly = false)
    {
        var best = new QueueCandidate(-1, -1);
        QueueCandidate? runnerUp = null;
        foreach (var q in siblings)
        {
            if ((actedOnly ? _actedIn[q] : _remaining[q]) == 0)
            {
                continue;
            }

            var candidate = new QueueCandidate(q, BestJob(q));
            if (best.Queue < 0)
            {
                best = candidate;
            }
            else if (Compare(candidate, best) < 0)
            {
                runnerUp = best;
                best = candidate;
            }
            else if (runnerUp is not { } second || Compare(candidate, second) < 0)
            {
                runnerUp = candidate;
            }
        }

        return (best, runnerUp);
    }

    private int BestJob(int queue)
    {
        var ledger = _session.Queues.Versions[queue];
        var cached = _bestDown[queue];
        if (cached.Epoch == _epoch && cached.Ledger == ledger && cached.Structure == _structure[queue])
        {
            return cached.Best.BestJob;
        }

        var (best, runnerUp) = _session.Snapshot.IsLeaf(queue)
            ? (new QueueCandidate(queue, Head(queue)), null)
            : _pending.PlaysChildTournaments ? BestChild(queue) : BestAmong(_session.Snapshot.ChildrenOf(queue));
        _bestDown[queue] = new SimulationWorkspace.BestDownEntry(_epoch, ledger, _structure[queue], best, runnerUp);
        return best.BestJob;
    }

    /// <summary>
    /// What <see cref="BestAmong"/> finds among a queue's children that still hold groups, from the queue's
    /// <see cref="ChildTournament"/>: only the children whose ledger version or structure moved since it was last played
    /// (a pass-over below one of them, a placement in it) are worked out and played again.
    /// </summary>
    private (QueueCandidate Best, QueueCandidate? RunnerUp) BestChild(int queue)
    {
        var children = _session.Snapshot.ChildrenOf(queue);
        var tournament = _workspace.TournamentOf(queue, children.Length);
        if (tournament.Epoch != _epoch)
        {
            tournament.Clear(_epoch);
        }

        var versions = _session.Queues.Versions;
        var changed = 0;
        var lastChanged = -1;
        for (var slot = 0; slot < children.Length; slot++)
        {
            var child = children[slot];
            var stamp = ((long)versions[child] << 32) | (uint)_structure[child];
            var takesPart = _remaining[child] > 0;
            if (!tournament.IsCurrent(slot, stamp, takesPart))
            {
                tournament.Enter(slot, stamp, takesPart ? new QueueCandidate(child, BestJob(child)) : null);
                changed++;
                lastChanged = slot;
            }
        }

        if (changed == 1)
        {
            tournament.PlayUp(lastChanged, this);
        }
        else if (changed > 1)
        {
            tournament.PlayAll(this);
        }

        return tournament.TryBest(this, out var best, out var runnerUp) ? (best, runnerUp) : (new QueueCandidate(-1, -1), null);
    }

    int ICandidateJudge.Compare(in QueueCandidate left, in QueueCandidate right) => Compare(left, right);

    /// <summary>
    /// Queue order between two candidates, remembered per queue and request class: for the cycle under the queues'
    /// ledger versions (<see cref="PendingOrder.CompareClasses"/>), or until allocations change when an acted group,
    /// whose state the try changed, takes part (it is a class of its own).
    /// </summary>
    private int Compare(in QueueCandidate left, in QueueCandidate right)
    {
        var leftActed = IsActed(left.BestJob);
        var rightActed = IsActed(right.BestJob);
        if (!leftActed && !rightActed)
        {
            return _pending.CompareClasses(left.Queue, left.BestJob, right.Queue, right.BestJob);
        }

        var key = (left.Queue, ClassOf(left.BestJob), right.Queue, ClassOf(right.BestJob));
        if (!_comparisons.TryGetValue(key, out var result))
        {
            result = _session.Plugins.CompareQueues(_session, left, right);
            _comparisons[key] = result;
        }

        return result;
    }

    private int ClassOf(int job) => IsActed(job) ? -2 - job : _pending.ClassOf(job);

    /// <summary>Whether the try acts on the group: its mark in the workspace is this order's (or, on the reference path, the set holds it).</summary>
    private bool IsActed(int group) =>
        _actedSet?.Contains(group) ?? ((uint)group < (uint)_workspace.ActedMarks.Length && _workspace.ActedMarks[group] == _actedStamp);

    /// <summary>The index in <paramref name="positions"/> of the first position after <paramref name="head"/>, or its length.</summary>
    private static int FirstAfter(int[] positions, int head)
    {
        var index = Array.BinarySearch(positions, head + 1);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// Where an acted group goes among the leaf's pending groups: the position of the first one (not removed) that job
    /// order puts after it, or the length. Removed entries are never compared (their state may have changed).
    /// </summary>
    private int InsertionPoint(int[] jobs, ReadOnlySpan<int> removed, int group)
    {
        var low = 0;
        var high = jobs.Length - removed.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_session.Plugins.CompareJobs(_session, jobs[RealIndex(removed, middle)], group) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low < jobs.Length - removed.Length ? RealIndex(removed, low) : jobs.Length;
    }

    /// <summary>The index in the pending order of the n-th entry that is not removed.</summary>
    private static int RealIndex(ReadOnlySpan<int> removed, int nth)
    {
        var index = nth;
        foreach (var r in removed)
        {
            if (r <= index)
            {
                index++;
            }
            else
            {
                break;
            }
        }

        return index;
    }

    /// <summary>
    /// A leaf's acted groups (a range of <see cref="_overlayGroups"/>, in job order), the next to come out (an index in that
    /// range; its end when all came out), and the range of <see cref="_overlayRemoved"/> holding the entries they left.
    /// </summary>
    internal struct LeafOverlay
    {
        public int Leaf;
        public int GroupStart;
        public int GroupEnd;
        public int Next;
        public int RemovedStart;
        public int RemovedEnd;
    }

    /// <summary>Acted groups by leaf queue, then in job order within a leaf (a struct: sorting makes no closure).</summary>
    private readonly struct LeafThenJobOrder(Session session) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var byLeaf = session.Snapshot.QueueOf(x).CompareTo(session.Snapshot.QueueOf(y));
            return byLeaf != 0 ? byLeaf : session.Plugins.CompareJobs(session, x, y);
        }
    }
}
