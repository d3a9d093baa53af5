using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// The per-queue books of a <see cref="SimulationOrder"/>, kept for the cycle and lent to one order at a time: a
/// victim search builds an order per try, and at a few hundred queues allocating them anew for each try was most of
/// what the cycle allocated. Entries of the best-down cache carry the lending's epoch, so nothing is cleared per try.
/// </summary>
internal sealed class SimulationWorkspace(int queues)
{
    public int[] Remaining { get; } = new int[queues];

    public int[] ActedIn { get; } = new int[queues];

    public int[] BaseHead { get; } = new int[queues];

    public int[] Structure { get; } = new int[queues];

    public BestDownEntry[] BestDown { get; } = new BestDownEntry[queues];

    public List<int> Path { get; } = [];

    public List<QueueCandidate?> RunnersUp { get; } = [];

    public Dictionary<int, bool> ClassWins { get; } = [];

    public List<(int Position, int Class)> NextOfClass { get; } = [];

    public Dictionary<(int Queue, int Class, int OtherQueue, int OtherClass), int> Comparisons { get; } = [];

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
        ClassWins.Clear();
        NextOfClass.Clear();
        Comparisons.Clear();
        return ++Epoch;
    }

    /// <summary>
    /// What a queue's subtree would give next when last looked at in lending <see cref="Epoch"/>: valid while its ledger
    /// version and structure count are the same.
    /// </summary>
    internal readonly record struct BestDownEntry(int Epoch, int Ledger, int Structure, QueueCandidate Best, QueueCandidate? RunnerUp);
}
