using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The per-queue books of one victim walk (<see cref="VictimQueue"/>): some 64 KB on a cluster of 300 leaf queues, built
/// once per walk. An action starts hundreds of walks a cycle and drops them at each commit, so it keeps the books of
/// the walks it dropped for its next ones (<see cref="SharedVictimWalk"/>), emptied, instead of building new ones.
/// </summary>
internal sealed class VictimQueueBooks
{
    /// <param name="queues">How many queues the session has.</param>
    public VictimQueueBooks(int queues)
    {
        InSubtree = new int[queues];
        Taken = new ResourceVector[queues];
        Walkers = new int[queues];
        WalkerHasCurrent = new bool[queues];
        Requeued = new SortedSet<VictimKey>?[queues];
        Memo = new VictimQueue.PeekMemo[queues];
        Ranked = new List<int>?[queues + 1];
        Candidate = new QueueCandidate[queues];
        IsRanked = new bool[queues];
        HeadEligible = new bool[queues];
        QueueMayGive = new bool[queues];
        ToLookAt = new bool[queues];
        SiblingsToLookAt = new List<int>?[queues + 1];
        SiblingsLookedAt = new bool[queues + 1];
    }

    /// <summary>Per queue, its candidate groups not yet found ineligible or used up.</summary>
    public int[] InSubtree { get; }

    /// <summary>Per queue, what the walk has taken from its subtree.</summary>
    public ResourceVector[] Taken { get; }

    /// <summary>
    /// Per leaf, where the walk is in the catalog's groups of the leaf (<see cref="VictimCatalog.InLeaf"/>): one past the
    /// current group's place, 0 before the walk first looks at the leaf (plain numbers, emptied by clearing).
    /// </summary>
    public int[] Walkers { get; }

    public bool[] WalkerHasCurrent { get; }

    /// <summary>Per leaf, its groups taken from part way and back in line (the sets are kept, emptied).</summary>
    public SortedSet<VictimKey>?[] Requeued { get; }

    public VictimQueue.PeekMemo[] Memo { get; }

    /// <summary>Per parent, its children in queue order (the lists are kept, emptied).</summary>
    public List<int>?[] Ranked { get; }

    public QueueCandidate[] Candidate { get; }

    public bool[] IsRanked { get; }

    /// <summary>Per leaf, whether its walker's current group was found eligible.</summary>
    public bool[] HeadEligible { get; }

    /// <summary>Per queue, whether it was found able to give victims.</summary>
    public bool[] QueueMayGive { get; }

    /// <summary>Per queue, whether it is in its parent's <see cref="SiblingsToLookAt"/>.</summary>
    public bool[] ToLookAt { get; }

    /// <summary>
    /// Per parent (slot 0 for the top level, else parent + 1), its children whose next unit was forgotten since the ranking
    /// last looked at them (the lists are kept, emptied).
    /// </summary>
    public List<int>?[] SiblingsToLookAt { get; }

    /// <summary>Per parent (as <see cref="SiblingsToLookAt"/>), whether the ranking has looked at every child once.</summary>
    public bool[] SiblingsLookedAt { get; }

    /// <summary>Groups taken from part way: their remaining pods.</summary>
    public Dictionary<int, List<int>> Remaining { get; } = [];

    /// <summary>Groups taken from part way: the pods taken per pod set.</summary>
    public Dictionary<int, int[]> TakenPerSet { get; } = [];

    /// <summary>Groups the walk has taken from.</summary>
    public HashSet<int> Touched { get; } = [];

    /// <summary>A recorded walk's (<see cref="VictimWalkRecording"/>) verdicts asked, in order.</summary>
    public List<VictimVerdict> Verdicts { get; } = [];

    /// <summary>A recorded walk's units, in victim order.</summary>
    public List<(int Group, List<int> Unit)> Units { get; } = [];

    /// <summary>
    /// The pod lists of the units of the walk these books held, emptied, for the next walk's units (a search copies what it
    /// keeps of a unit: the lists are read only until it asks for the next one, and a dropped walk is not read).
    /// </summary>
    public Stack<List<int>> SpareUnits { get; } = [];

    /// <summary>A recorded walk's top-level candidate per unit.</summary>
    public List<QueueCandidate> TopCandidates { get; } = [];

    /// <summary>A recorded walk's end of each unit's verdicts in <see cref="Verdicts"/>.</summary>
    public List<int> VerdictsEnd { get; } = [];

    /// <summary>Empties the books for another walk, as new ones.</summary>
    public VictimQueueBooks Emptied()
    {
        Array.Clear(InSubtree);
        Array.Clear(Taken);
        Array.Clear(Walkers);
        Array.Clear(WalkerHasCurrent);
        Array.Clear(Memo);
        Array.Clear(Candidate);
        Array.Clear(IsRanked);
        Array.Clear(HeadEligible);
        Array.Clear(QueueMayGive);
        Array.Clear(ToLookAt);
        Array.Clear(SiblingsLookedAt);
        foreach (var siblings in SiblingsToLookAt)
        {
            siblings?.Clear();
        }

        foreach (var requeued in Requeued)
        {
            requeued?.Clear();
        }

        foreach (var ranked in Ranked)
        {
            ranked?.Clear();
        }

        Remaining.Clear();
        TakenPerSet.Clear();
        Touched.Clear();
        Verdicts.Clear();
        foreach (var (_, pods) in Units)
        {
            pods.Clear();
            SpareUnits.Push(pods);
        }

        Units.Clear();
        TopCandidates.Clear();
        VerdictsEnd.Clear();
        return this;
    }
}
