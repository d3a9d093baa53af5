using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// What <see cref="ReclaimRules"/>' validation of one scenario has counted per queue: each queue's allocation left after
/// the chunks taken so far, and each levelled victim queue's chunks taken. Arrays by queue stamped with the scenario's
/// generation, kept across scenarios (a victim search validates thousands), instead of two dictionaries per scenario.
/// </summary>
internal sealed class ScenarioQueueBooks
{
    private ResourceVector[] _remaining = [];
    private int[] _remainingGeneration = [];
    private ResourceVector[] _taken = [];
    private int[] _takenGeneration = [];
    private int _generation;

    /// <summary>Forgets the last scenario's counts; the arrays grow to <paramref name="queues"/>.</summary>
    public void Reset(int queues)
    {
        if (_remaining.Length < queues)
        {
            _remaining = new ResourceVector[queues];
            _remainingGeneration = new int[queues];
            _taken = new ResourceVector[queues];
            _takenGeneration = new int[queues];
            _generation = 0;
        }

        _generation++;
    }

    /// <summary>The queue's allocation left: as counted, or <paramref name="start"/> if nothing was taken from it yet.</summary>
    public ResourceVector RemainingOr(int queue, in ResourceVector start) =>
        _remainingGeneration[queue] == _generation ? _remaining[queue] : start;

    public void SetRemaining(int queue, in ResourceVector remaining)
    {
        _remainingGeneration[queue] = _generation;
        _remaining[queue] = remaining;
    }

    /// <summary>The chunks taken with <paramref name="queue"/> as the levelled victim, if any were.</summary>
    public bool TryGetTaken(int queue, out ResourceVector taken)
    {
        if (_takenGeneration[queue] == _generation)
        {
            taken = _taken[queue];
            return true;
        }

        taken = default;
        return false;
    }

    public void AddTaken(int queue, in ResourceVector chunk)
    {
        _taken[queue] = (_takenGeneration[queue] == _generation ? _taken[queue] : ResourceVector.Zero) + chunk;
        _takenGeneration[queue] = _generation;
    }
}
