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
    private readonly int[][] _activeAllocated;
    private readonly int[][] _pending;
    private readonly int[] _version;

    internal GangBook(ClusterSnapshot snapshot)
    {
        _snapshot = snapshot;
        var groups = snapshot.Groups.Count;
        _activeAllocated = new int[groups][];
        _pending = new int[groups][];
        _version = new int[groups];
        for (var g = 0; g < groups; g++)
        {
            var sets = snapshot.PodSetsOf(g).Count;
            _activeAllocated[g] = new int[sets];
            _pending[g] = new int[sets];
        }
    }

    /// <summary>Changes whenever a member's status changes; lets per-group caches know they are stale.</summary>
    public int Version(int group) => _version[group];

    public int ActiveAllocated(int group, int podSet) => _activeAllocated[group][podSet];

    public int ActiveAllocated(int group) => _activeAllocated[group].Sum();

    public int Pending(int group) => _pending[group].Sum();

    public int Pending(int group, int podSet) => _pending[group][podSet];

    /// <summary>Every pod set has at least its minimum active-allocated.</summary>
    public bool IsSatisfied(int group)
    {
        var sets = _snapshot.PodSetsOf(group);
        for (var s = 0; s < sets.Count; s++)
        {
            if (_activeAllocated[group][s] < sets[s].MinAvailable)
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
            var count = _activeAllocated[group][s] - (takenPerSet?[s] ?? 0);
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
        var set = _snapshot.PodSetIndexOf(pod);
        _activeAllocated[group][set] += Delta(before.IsActiveAllocated(), after.IsActiveAllocated());
        _pending[group][set] += Delta(before == PodStatus.Pending, after == PodStatus.Pending);
    }

    private static int Delta(bool before, bool after) => (after ? 1 : 0) - (before ? 1 : 0);
}
