using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim walks of one action run, shared by its preemptors while nothing is committed. A failed search leaves the
/// session as it found it, so the next preemptor's walk reads the same session: it takes the same units in the same
/// order as long as its victim filters give the verdicts the written walk asked for (<see cref="VictimWalkRecording"/>).
/// A few walks are kept per leaf a walk is confined to (preempt's own queue) and for walks over every queue, the latest
/// first; a commit ends them all. A preemptor whose verdicts differ from a walk's goes on with another that agrees up to
/// there, or starts a walk of its own.
/// </summary>
internal sealed class SharedVictimWalk(Session session, VictimCatalog catalog, bool sessionUnchangedBetweenUnits)
{
    /// <summary>Most walks kept per scope (each holds a <see cref="VictimQueue"/>'s books).</summary>
    internal const int WalksKeptPerScope = 8;

    private readonly Dictionary<int, List<VictimWalkRecording>> _byLeaf = [];
    private int _commitCount = -1;
    private int[]? _topOf;

    /// <summary>
    /// Whether a search whose verdicts differ from a kept walk's at its first unit, but only inside some top-level queues'
    /// subtrees, follows that walk while it takes the same units as its own would (<see cref="ContestedQueues"/>) instead of
    /// walking on its own from the start; off only in tests that compare.
    /// </summary>
    internal bool FollowsAcrossContestedQueues { get; init; } = true;

    /// <summary>Units a search took from another preemptor's walk across contested queues (for tests and measurements).</summary>
    internal int UnitsFollowedAcrossContestedQueues { get; set; }

    /// <summary>
    /// Whether the books of dropped walks (at a commit, or beyond <see cref="WalksKeptPerScope"/>) are emptied and kept for
    /// the next walks instead of building new ones per walk (<see cref="VictimQueueBooks"/>); off only in tests that compare.
    /// </summary>
    internal bool ReusesWalkBooks { get; init; } = true;

    /// <summary>Walks started on the books of a dropped walk (for tests and measurements).</summary>
    internal int BooksReused { get; private set; }

    private readonly Stack<VictimQueueBooks> _spareBooks = [];

    /// <summary>Most books of dropped walks kept for the next walks.</summary>
    private const int SpareBooksKept = 16;

    /// <summary>Walks started (for tests and measurements).</summary>
    internal int WalksStarted { get; private set; }

    /// <summary>Searches that went on with another kept walk after their verdicts differed from one (for tests and measurements).</summary>
    internal int WalksSwitched { get; private set; }

    /// <summary>Units a search took from a walk another preemptor wrote (for tests and measurements).</summary>
    internal int UnitsShared { get; set; }

    /// <summary>Books the action's searches fill and empty one after another (<see cref="SearchScratch"/>).</summary>
    internal SearchScratch Scratch { get; } = new(session);

    /// <summary>
    /// Whether a search's eligibility keeps its verdicts in the emptied memo of an earlier search's (one that is over and that
    /// no kept walk asks again) instead of new dictionaries per search; off only in tests that compare.
    /// </summary>
    internal bool LendsVerdictMemos { get; init; } = true;

    /// <summary>Searches whose eligibility was lent an earlier search's memo (for tests and measurements).</summary>
    internal int MemosReused { get; private set; }

    // Eligibilities holding a lent memo, and the memos given back, emptied.
    private readonly List<VictimEligibility> _lentTo = [];
    private readonly List<VictimVerdictMemo> _spareMemos = [];
    private readonly HashSet<VictimEligibility> _walkedFor = new(ReferenceEqualityComparer.Instance);

    /// <summary>The units for one search with <paramref name="eligibility"/>.</summary>
    public VictimUnits For(VictimEligibility eligibility)
    {
        if (LendsVerdictMemos && eligibility.HasNoMemo)
        {
            TakeBackMemos();
            var snapshot = session.Snapshot;
            eligibility.Lend(TakeSpareMemo(eligibility.WantsArrayMemo) ?? eligibility.NewMemo(snapshot.Groups.Count, snapshot.Queues.Count));
            _lentTo.Add(eligibility);
        }

        return new(this, eligibility);
    }

    /// <summary>A spare memo of the form asked for (arrays or dictionaries), or null; those of the other form stay spare.</summary>
    private VictimVerdictMemo? TakeSpareMemo(bool inArrays)
    {
        for (var i = _spareMemos.Count - 1; i >= 0; i--)
        {
            var spare = _spareMemos[i];
            if (spare.InArrays == inArrays)
            {
                _spareMemos.RemoveAt(i);
                MemosReused++;
                return spare;
            }
        }

        return null;
    }

    /// <summary>
    /// Takes back the memos of earlier searches' eligibilities (their searches are over: an action searches one preemptor
    /// at a time) unless a kept walk may still walk on asking one of them (<see cref="VictimWalkRecording.WalkingFor"/>).
    /// </summary>
    private void TakeBackMemos()
    {
        if (_lentTo.Count == 0)
        {
            return;
        }

        _walkedFor.Clear();
        foreach (var kept in _byLeaf.Values)
        {
            foreach (var walk in kept)
            {
                _walkedFor.Add(walk.WalkingFor);
            }
        }

        for (var i = _lentTo.Count - 1; i >= 0; i--)
        {
            var eligibility = _lentTo[i];
            if (!_walkedFor.Contains(eligibility))
            {
                _spareMemos.Add(eligibility.GiveBack()!.Emptied());
                _lentTo.RemoveAt(i);
            }
        }
    }

    /// <summary>The walk this eligibility's search starts from: the one kept for its scope, unless something was committed since.</summary>
    internal VictimWalkRecording Current(VictimEligibility eligibility)
    {
        if (_commitCount != session.CommitCount)
        {
            foreach (var scope in _byLeaf.Values)
            {
                foreach (var walk in scope)
                {
                    Keep(walk.Release());
                }
            }

            _byLeaf.Clear();
            _commitCount = session.CommitCount;
        }

        return _byLeaf.TryGetValue(eligibility.OnlyLeaf ?? -1, out var kept) && kept.Count > 0 ? kept[0] : Restart(eligibility);
    }

    /// <summary>
    /// A kept walk other than <paramref name="besides"/> that this eligibility agrees with through unit
    /// <paramref name="index"/> (as far as the walk has gone), or null. Each verdict asked is one the search's own walk
    /// asks: it would walk as the kept walk up to the first verdict that differs, and asks that one too.
    /// </summary>
    internal VictimWalkRecording? AgreeingThrough(VictimEligibility eligibility, int index, VictimWalkRecording besides)
    {
        foreach (var walk in _byLeaf.GetValueOrDefault(eligibility.OnlyLeaf ?? -1) ?? [])
        {
            if (!ReferenceEquals(walk, besides) && walk.Count >= index && AgreesThrough(walk, eligibility, index))
            {
                WalksSwitched++;
                return walk;
            }
        }

        return null;
    }

    private static bool AgreesThrough(VictimWalkRecording walk, VictimEligibility eligibility, int index)
    {
        var last = index < walk.Count || walk.Ended ? index : index - 1;
        for (var i = 0; i <= last; i++)
        {
            if (!walk.Agrees(eligibility, i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How <paramref name="eligibility"/>'s search may follow <paramref name="walk"/>, whose first unit's verdicts differ from its own.</summary>
    internal ContestedQueues Contest(VictimEligibility eligibility, VictimWalkRecording walk) =>
        new ContestedQueues(
            session,
            eligibility,
            walk,
            _topOf ??= TopLevelAncestors(),
            () => new VictimQueue(session, eligibility, catalog, SpareBooks()) { SessionUnchangedBetweenUnits = sessionUnchangedBetweenUnits },
            Keep);

    /// <summary>The books of a dropped walk, emptied (null: none kept, or not reused).</summary>
    private VictimQueueBooks? SpareBooks()
    {
        if (!ReusesWalkBooks || !_spareBooks.TryPop(out var books))
        {
            return null;
        }

        BooksReused++;
        return books.Emptied();
    }

    private void Keep(VictimQueueBooks books)
    {
        // A few spare books are enough for the walks between two commits; more would only hold memory.
        if (ReusesWalkBooks && _spareBooks.Count < SpareBooksKept)
        {
            _spareBooks.Push(books);
        }
    }

    private int[] TopLevelAncestors()
    {
        var snapshot = session.Snapshot;
        var topOf = new int[snapshot.Queues.Count];
        for (var queue = 0; queue < topOf.Length; queue++)
        {
            topOf[queue] = snapshot.TopLevelOf(queue);
        }

        return topOf;
    }

    /// <summary>A new walk for <paramref name="eligibility"/>, kept for the later preemptors of its scope.</summary>
    internal VictimWalkRecording Restart(VictimEligibility eligibility)
    {
        var recording = new VictimWalkRecording(session, eligibility, catalog, sessionUnchangedBetweenUnits, SpareBooks());
        var scope = eligibility.OnlyLeaf ?? -1;
        if (!_byLeaf.TryGetValue(scope, out var kept))
        {
            _byLeaf[scope] = kept = [];
        }

        kept.Insert(0, recording);
        if (kept.Count > WalksKeptPerScope)
        {
            Keep(kept[^1].Release());
            kept.RemoveAt(kept.Count - 1);
        }

        WalksStarted++;
        return recording;
    }
}
