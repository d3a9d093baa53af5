using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Every pod group that could give up pods this cycle, per leaf queue in victim order (lowest priority first,
/// then groups furthest above their minimum, then newest), kept across searches and updated only for the groups
/// a commit touched. A search then walks it instead of sorting every candidate again.
/// </summary>
/// <remarks>
/// A group is evictable while it has active pods and none placed earlier in this cycle (pod groups that got pods
/// this cycle are never victims: evicting them would undo the cycle's own decision or split a gang).
/// </remarks>
internal sealed class VictimCatalog
{
    private readonly Session _session;
    // Per leaf, its groups in victim order: a sorted list (walks read it by position; a commit moves a few groups, each
    // found by a binary search on its key).
    private readonly List<int>?[] _byLeaf;
    private readonly IComparer<int> _order;
    private readonly VictimKey[] _keys;
    private readonly bool[] _listed;
    private readonly int[]?[] _pods;

    private int _syncedTouches;

    /// <summary>Lists every evictable group; <see cref="Sync"/> catches up with later commits.</summary>
    public VictimCatalog(Session session)
    {
        _session = session;
        var groups = session.Snapshot.Groups.Count;
        _byLeaf = new List<int>?[session.Snapshot.Queues.Count];
        _keys = new VictimKey[groups];
        _listed = new bool[groups];
        _pods = new int[]?[groups];
        _order = Comparer<int>.Create((a, b) => Compare(_keys[a], _keys[b]));
        for (var g = 0; g < groups; g++)
        {
            Refresh(g);
        }

        _syncedTouches = session.TouchedGroups.Count;
    }

    /// <summary>Evictable groups of a leaf queue, in victim order (a walk keeps its place by number; read only, and do not change while walking).</summary>
    public List<int> InLeaf(int leaf) => _byLeaf[leaf] ?? NoGroups;

    private static readonly List<int> NoGroups = [];

    public VictimKey KeyOf(int group) => _keys[group];

    /// <summary>A group's evictable pods in eviction order: workers before leaders, newest first.</summary>
    public int[] PodsOf(int group)
    {
        if (_pods[group] is { } known)
        {
            return known;
        }

        var session = _session;
        var pods = session.Snapshot.MembersOf(group).Where(p => session.StatusOf(p).IsActiveAllocated()).ToArray();
        Array.Sort(pods, (a, b) => session.Plugins.ComparePods(session, b, a));
        _pods[group] = pods;
        return pods;
    }

    /// <summary>Victim order: lower priority first, then further above its minimum, then newer, then later in name order.</summary>
    public static int Compare(in VictimKey a, in VictimKey b)
    {
        var byPriority = a.Priority.CompareTo(b.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byState = b.GangState.CompareTo(a.GangState);
        if (byState != 0)
        {
            return byState;
        }

        var byAge = b.Created.CompareTo(a.Created);
        return byAge != 0 ? byAge : b.Group.CompareTo(a.Group);
    }

    /// <summary>Refreshes the groups that commits touched since the last call.</summary>
    public void Sync()
    {
        var touched = _session.TouchedGroups;
        for (; _syncedTouches < touched.Count; _syncedTouches++)
        {
            Refresh(touched[_syncedTouches]);
        }
    }

    private void Refresh(int group)
    {
        var leaf = _session.Snapshot.QueueOf(group);
        if (_listed[group])
        {
            // Found by the key it was listed with (the key is replaced below).
            var listed = _byLeaf[leaf]!;
            listed.RemoveAt(listed.BinarySearch(group, _order));
            _listed[group] = false;
        }

        _pods[group] = null;
        if (leaf < 0 || !IsEvictableNow(group))
        {
            return;
        }

        var definition = _session.Snapshot.Groups[group];
        _keys[group] = new VictimKey(definition.Priority, _session.Gangs.GangState(group), definition.CreationTimestamp, group);
        var groups = _byLeaf[leaf] ??= [];
        var at = groups.BinarySearch(group, _order);
        groups.Insert(~at, group);
        _listed[group] = true;
    }

    private bool IsEvictableNow(int group)
    {
        var any = false;
        foreach (var pod in _session.Snapshot.MembersOf(group))
        {
            var status = _session.StatusOf(pod);
            if (status.IsActiveAllocated())
            {
                if (_session.IsVirtual(pod))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }
}

/// <summary>What victim order compares: priority, gang state (0 below, 1 at, 2 above minimum), creation, index.</summary>
internal readonly record struct VictimKey(int Priority, int GangState, DateTimeOffset Created, int Group);
