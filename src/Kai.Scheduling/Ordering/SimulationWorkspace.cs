using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// The per-queue books of a <see cref="SimulationOrder"/>, kept for the cycle and lent to one order at a time: a
/// victim search builds an order per try, and at a few hundred queues allocating them anew for each try was most of
/// what the cycle allocated. Entries of the best-down cache carry the lending's epoch, so nothing is cleared per try.
/// </summary>
internal sealed class SimulationWorkspace(int queues, int groups)
{
    private int _actedStamp;
    private readonly List<int> _distinct = [];

    /// <summary>Per group, the stamp of the last <see cref="StampActed"/> that named it: a group is acted on in the order holding that stamp.</summary>
    public int[] ActedMarks { get; } = new int[groups];

    public int[] Remaining { get; } = new int[queues];

    public int[] ActedIn { get; } = new int[queues];

    public int[] BaseHead { get; } = new int[queues];

    public int[] Structure { get; } = new int[queues];

    public BestDownEntry[] BestDown { get; } = new BestDownEntry[queues];

    // Per leaf queue, the lending whose order last kept an overlay there, and the overlay's index in that order.
    private readonly (int Epoch, int Index)[] _overlayOf = new (int, int)[queues];

    /// <summary>Per queue with children, its <see cref="ChildTournament"/> (made when first asked for; sized by queues).</summary>
    private readonly ChildTournament?[] _tournaments = new ChildTournament?[queues];

    public List<int> Path { get; } = [];

    public List<QueueCandidate?> RunnersUp { get; } = [];

    public List<int> NextOfClass { get; } = [];

    public List<SimulationOrder.PassOverLevel> PassOverLevels { get; } = [];

    public Dictionary<(int Queue, int Class, int OtherQueue, int OtherClass), int> Comparisons { get; } = [];

    /// <summary>The one first phase searches record in place (<see cref="SimulationOrder.RecordFirstPhase"/>), one search at a time.</summary>
    public SimulationOrder.FirstPhaseBooks FirstPhaseBooks { get; } = new(queues);

    /// <summary>The one mark orders take in place (<see cref="SimulationOrder.MarkInWorkspace"/>): a step chain's preemptor turn.</summary>
    public SimulationOrder.OrderMark KeptMark { get; } = new();

    /// <summary>The current lending; an order whose lending is over may not be used any more.</summary>
    public int Epoch { get; private set; }

    /// <summary>
    /// Lends the books to a new order: counts from <paramref name="countInSubtree"/>, the per-try lists and tables
    /// empty. <c>Structure</c> and <c>BestDown</c> are not cleared: structure counters only grow, and a <c>BestDown</c>
    /// entry carries the epoch it was written in, so an entry of an earlier lending is read as absent.
    /// </summary>
    public int Lend(ReadOnlySpan<int> countInSubtree)
    {
        countInSubtree.CopyTo(Remaining);
        Array.Clear(ActedIn);
        Array.Clear(BaseHead);
        Path.Clear();
        RunnersUp.Clear();
        NextOfClass.Clear();
        Comparisons.Clear();
        return ++Epoch;
    }

    /// <summary>Notes where the order of lending <paramref name="epoch"/> keeps each leaf's overlay (again after it resumes).</summary>
    public void KeepOverlays(ReadOnlySpan<SimulationOrder.LeafOverlay> overlays, int epoch)
    {
        for (var i = 0; i < overlays.Length; i++)
        {
            _overlayOf[overlays[i].Leaf] = (epoch, i);
        }
    }

    /// <summary>The index of the leaf's overlay in the order of lending <paramref name="epoch"/>; false when it has none there.</summary>
    public bool OverlayOf(int leaf, int epoch, out int index)
    {
        var (kept, at) = _overlayOf[leaf];
        index = at;
        return kept == epoch;
    }

    /// <summary>The queue's tournament among its <paramref name="children"/> (its epoch tells the lending it was played in).</summary>
    public ChildTournament TournamentOf(int queue, int children) => _tournaments[queue] ??= new ChildTournament(children);

    /// <summary>
    /// Marks the groups a try acts on with a new stamp (a set without one: no per-try set to build and hash); returns
    /// them without repeats, in their first order, and the stamp.
    /// </summary>
    public (int[] Groups, int Stamp) StampActed(IEnumerable<int> acted)
    {
        var stamp = NextActedStamp();
        var distinct = _distinct;
        distinct.Clear();
        if (acted is List<int> list)
        {
            // The searches pass a list: walked without boxing its enumerator.
            foreach (var group in list)
            {
                Stamp(group, stamp, distinct);
            }
        }
        else
        {
            foreach (var group in acted)
            {
                Stamp(group, stamp, distinct);
            }
        }

        return ([.. distinct], stamp);
    }

    private void Stamp(int group, int stamp, List<int> distinct)
    {
        if (ActedMarks[group] != stamp)
        {
            ActedMarks[group] = stamp;
            distinct.Add(group);
        }
    }

    // A new stamp; at the end of the range every mark is cleared and the stamps start again at 1 (0 is every group's
    // mark before any stamp), so a wrapped stamp never reads an old mark as acted.
    private int NextActedStamp()
    {
        if (_actedStamp == int.MaxValue)
        {
            Array.Clear(ActedMarks);
            _actedStamp = 0;
        }

        return ++_actedStamp;
    }

    /// <summary>Marks an order's acted groups again (its stamp was taken by a later order), with a new stamp.</summary>
    public int StampAgain(int[] acted)
    {
        var stamp = NextActedStamp();
        foreach (var group in acted)
        {
            ActedMarks[group] = stamp;
        }

        return stamp;
    }

    /// <summary>
    /// What a queue's subtree would give next when last looked at in lending <see cref="Epoch"/>: valid while its ledger
    /// version and structure count are the same.
    /// </summary>
    internal readonly record struct BestDownEntry(int Epoch, int Ledger, int Structure, QueueCandidate Best, QueueCandidate? RunnerUp);
}
