using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Per pod group and pod set, how many members are active-allocated (count toward the minimum), active-used
/// (occupy nodes) and pending; kept live as the session changes pod statuses.
/// </summary>
public sealed class GangBook
{
    private readonly ClusterSnapshot _snapshot;
    // Counts per pod set, flat: group g's sets are at _offsets[g] .. _offsets[g + 1] - 1 (one copy per session).
    private readonly int[] _offsets;
    private readonly int[] _activeAllocated;
    private readonly int[] _pending;
    private readonly int[] _version;

    /// <summary>The gangs as the snapshot's pods start them (copied: the session changes its own counts).</summary>
    internal GangBook(ClusterSnapshot snapshot, StartingBooks books)
    {
        _snapshot = snapshot;
        _offsets = books.GangOffsets;
        _activeAllocated = (int[])books.GangActiveAllocated.Clone();
        _pending = (int[])books.GangPending.Clone();
        _version = (int[])books.GangVersions.Clone();
    }

    /// <summary>Changes whenever a member's status changes; lets per-group caches know they are stale.</summary>
    public int Version(int group) => _version[group];

    public int ActiveAllocated(int group, int podSet) => _activeAllocated[_offsets[group] + podSet];

    public int ActiveAllocated(int group) => Sum(_activeAllocated, group);

    public int Pending(int group) => Sum(_pending, group);

    public int Pending(int group, int podSet) => _pending[_offsets[group] + podSet];

    private int Sum(int[] counts, int group)
    {
        var sum = 0;
        for (var at = _offsets[group]; at < _offsets[group + 1]; at++)
        {
            sum += counts[at];
        }

        return sum;
    }

    /// <summary>Every pod set has at least its minimum active-allocated.</summary>
    public bool IsSatisfied(int group)
    {
        var sets = _snapshot.PodSetsOf(group);
        for (var s = 0; s < sets.Count; s++)
        {
            if (_activeAllocated[_offsets[group] + s] < sets[s].MinAvailable)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// KAI's gang state for job order: 0 when some pod set is below its minimum, 1 when all are exactly at it,
    /// 2 when some is above (an elastic job growing beyond its minimum sorts after jobs at their minimum).
    /// </summary>
    public int GangState(int group) => GangState(group, null);

    /// <summary>The gang state once <paramref name="takenPerSet"/> more pods per pod set are no longer active (victim order).</summary>
    internal int GangState(int group, int[]? takenPerSet)
    {
        var sets = _snapshot.PodSetsOf(group);
        var above = false;
        for (var s = 0; s < sets.Count; s++)
        {
            var count = _activeAllocated[_offsets[group] + s] - (takenPerSet?[s] ?? 0);
            if (count < sets[s].MinAvailable)
            {
                return 0;
            }

            above |= count > sets[s].MinAvailable;
        }

        return above ? 2 : 1;
    }

    internal void OnStatusChanged(int pod, PodStatus before, PodStatus after)
    {
        var group = _snapshot.GroupOf(pod);
        if (group < 0)
        {
            return;
        }

        _version[group]++;
        var at = _offsets[group] + _snapshot.PodSetIndexOf(pod);
        _activeAllocated[at] += Delta(before.IsActiveAllocated(), after.IsActiveAllocated());
        _pending[at] += Delta(before == PodStatus.Pending, after == PodStatus.Pending);
    }

    private static int Delta(bool before, bool after) => (after ? 1 : 0) - (before ? 1 : 0);
}
