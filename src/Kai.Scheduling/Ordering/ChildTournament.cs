using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Ordering;

/// <summary>Queue order between two candidates, as a <see cref="ChildTournament"/> asks for it.</summary>
internal interface ICandidateJudge
{
    /// <summary>Negative when <paramref name="left"/> comes out first; a strict total order (never 0 for two queues).</summary>
    int Compare(in QueueCandidate left, in QueueCandidate right);
}

/// <summary>
/// A knock-out tournament over one queue's children: the best child and the runner-up, kept while only a few children
/// change. A <see cref="SimulationOrder"/> asks a department for its best team after every pass-over under it; only the
/// team that passed over changed, so its way up the tree is played again (two comparisons a level: about four at 15
/// teams) instead of every team being compared with the best two again (up to 28).
/// </summary>
/// <remarks>
/// Each slot holds a child's candidate and the stamp it was worked out under; a slot is played again when its stamp
/// moved. Under a strict total order the root's winner is the least candidate, and the runner-up is the least of those
/// that lost to the winner on its way up (every other one lost to one of them): the same two a scan finds.
/// </remarks>
internal sealed class ChildTournament
{
    private const int NoSlot = -1;

    // Leaves at [Width, 2 * Width): slot i at Width + i; an inner node holds the slot that won below it, or NoSlot.
    private readonly int[] _winners;
    private readonly QueueCandidate[] _candidates;
    private readonly long[] _stamps;
    private readonly bool[] _entered;

    /// <param name="slots">How many children take part at most.</param>
    public ChildTournament(int slots)
    {
        Width = 1;
        while (Width < slots)
        {
            Width <<= 1;
        }

        _winners = new int[2 * Width];
        _candidates = new QueueCandidate[slots];
        _stamps = new long[slots];
        _entered = new bool[slots];
        Clear(0);
    }

    /// <summary>The number of leaves: a power of two, at least the slots.</summary>
    public int Width { get; }

    /// <summary>The lending of the workspace the tournament was played in; another lending starts from nothing.</summary>
    public int Epoch { get; private set; }

    /// <summary>Takes every child out (for a new lending): every slot is played again.</summary>
    public void Clear(int epoch)
    {
        Epoch = epoch;
        Array.Fill(_winners, NoSlot);
        Array.Fill(_stamps, long.MinValue);
        Array.Clear(_entered);
    }

    /// <summary>Whether the slot was last entered under <paramref name="stamp"/>, taking part or not as now.</summary>
    public bool IsCurrent(int slot, long stamp, bool takesPart) => _stamps[slot] == stamp && _entered[slot] == takesPart;

    /// <summary>Puts a child's new candidate in its slot (or takes it out: null); <see cref="PlayUp"/> or <see cref="PlayAll"/> then.</summary>
    public void Enter(int slot, long stamp, QueueCandidate? candidate)
    {
        _stamps[slot] = stamp;
        _entered[slot] = candidate is not null;
        if (candidate is { } entered)
        {
            _candidates[slot] = entered;
        }

        _winners[Width + slot] = candidate is null ? NoSlot : slot;
    }

    /// <summary>Plays one slot's way up to the root again (the other slots unchanged since they were played).</summary>
    public void PlayUp<TJudge>(int slot, TJudge judge)
        where TJudge : ICandidateJudge
    {
        for (var node = (Width + slot) >> 1; node >= 1; node >>= 1)
        {
            _winners[node] = Better(_winners[2 * node], _winners[(2 * node) + 1], judge);
        }
    }

    /// <summary>Plays every match again, from the leaves up: cheaper than each changed slot's way up when many changed.</summary>
    public void PlayAll<TJudge>(TJudge judge)
        where TJudge : ICandidateJudge
    {
        for (var node = Width - 1; node >= 1; node--)
        {
            _winners[node] = Better(_winners[2 * node], _winners[(2 * node) + 1], judge);
        }
    }

    /// <summary>The best candidate (false when no child takes part) and the best of the others.</summary>
    public bool TryBest<TJudge>(TJudge judge, out QueueCandidate best, out QueueCandidate? runnerUp)
        where TJudge : ICandidateJudge
    {
        runnerUp = null;
        var winner = _winners[1];
        if (winner == NoSlot)
        {
            best = default;
            return false;
        }

        best = _candidates[winner];

        // Down the winner's way from the root: each sibling there holds the best of what lost to the winner at that level.
        var runner = NoSlot;
        for (var node = 1; node < Width;)
        {
            var left = 2 * node;
            var winnerGoesLeft = _winners[left] == winner;
            runner = Better(runner, _winners[winnerGoesLeft ? left + 1 : left], judge);
            node = winnerGoesLeft ? left : left + 1;
        }

        if (runner != NoSlot)
        {
            runnerUp = _candidates[runner];
        }

        return true;
    }

    private int Better<TJudge>(int left, int right, TJudge judge)
        where TJudge : ICandidateJudge
    {
        if (left == NoSlot || right == NoSlot)
        {
            return left == NoSlot ? right : left;
        }

        return judge.Compare(_candidates[left], _candidates[right]) < 0 ? left : right;
    }
}
