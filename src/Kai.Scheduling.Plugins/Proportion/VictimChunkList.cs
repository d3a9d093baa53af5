using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// A scenario's victim chunks (<see cref="ReclaimRules"/>' KAI chunks) per victim leaf queue, in the order the rules check
/// them — queues ascending; within a queue its groups, within a group its pod sets, each in the order first met among the
/// victims, pods in their order — listed from buffers kept across scenarios instead of LINQ's groupings: a victim search
/// validates thousands of scenarios, and the groupings were the larger part of what the validation allocated.
/// </summary>
/// <remarks>
/// One sort by (queue, group's first place, pod set's first place, place) gives exactly the nested groupings' order:
/// a group belongs to one queue and a pod set to one group, so first places within a queue or group are the global ones.
/// The ranks (first places) are found by a scan of the few groups met so far (a dictionary only for scenarios of many).
/// The key is a total order (places differ), so a list already ascending in it is its own sorted order: most scenarios'
/// victims come in chunk order (a victim walk takes a group's pods together), and for them the sort is skipped.
/// </remarks>
internal sealed class VictimChunkList
{
    private readonly List<Victim> _victims = [];
    private readonly HashSet<int> _uncounted = [];

    // The groups met in this scenario in the order first met (a group's rank is its index), each with where its pod sets'
    // ranks start in _setRanks; past GroupsScanned of them, also by group in _rankByGroup.
    private readonly List<(int Group, int SetsStart)> _groups = [];
    private readonly Dictionary<int, int> _rankByGroup = [];
    private int[] _setRanks = new int[16];
    private int _setSlots;

    /// <summary>
    /// How many groups a scenario may hold before they are found through a dictionary instead of a scan from the last
    /// met: a scenario holds a few groups (six victims on average at 4,000 nodes), and a group's victims mostly come
    /// together. Changed only in tests, which compare both ways with the grouped rules.
    /// </summary>
    internal int GroupsScanned { get; init; } = 16;

    /// <summary>
    /// Whether a scenario whose victims already come in chunk order (checked pair by pair as they are listed) skips the
    /// sort; off only in tests, which compare with the sort done every time.
    /// </summary>
    internal bool SkipsSortInOrder { get; init; } = true;

    /// <summary>The chunks of the last <see cref="Build"/>: each victim leaf queue with one chunk it gives up.</summary>
    public List<(int Queue, ResourceVector Chunk)> Chunks { get; } = [];

    /// <summary>Lists the scenario's chunks; with <paramref name="movedFreeNothing"/>, moved pods keep their place in the split but free nothing.</summary>
    public void Build(ISessionView session, EvictionScenario scenario, bool movedFreeNothing)
    {
        Sort(session, scenario);
        _uncounted.Clear();
        if (movedFreeNothing)
        {
            // By index: a foreach over the interface would allocate an enumerator per scenario.
            var moved = scenario.MovedPods;
            for (var m = 0; m < moved.Count; m++)
            {
                _uncounted.Add(moved[m]);
            }
        }

        Chunks.Clear();
        var i = 0;
        while (i < _victims.Count)
        {
            i = AddGroup(session, i);
        }
    }

    /// <summary>The victims (evicted, then moved) in chunk order.</summary>
    private void Sort(ISessionView session, EvictionScenario scenario)
    {
        _victims.Clear();
        _groups.Clear();
        if (_rankByGroup.Count > 0)
        {
            _rankByGroup.Clear();
        }

        _setSlots = 0;
        var snapshot = session.Snapshot;
        var place = 0;
        var setCount = 0;
        var inOrder = true;
        foreach (var list in (ReadOnlySpan<IReadOnlyList<int>>)[scenario.EvictedPods, scenario.MovedPods])
        {
            for (var v = 0; v < list.Count; v++)
            {
                var pod = list[v];
                var group = snapshot.GroupOf(pod);
                var groupRank = RankOf(group) is var known and >= 0 ? known : MeetGroup(group, snapshot.PodSetsOf(group).Count);
                var set = snapshot.PodSetIndexOf(pod);
                ref var setRank = ref _setRanks[_groups[groupRank].SetsStart + set];
                if (setRank < 0)
                {
                    setRank = setCount++;
                }

                var victim = new Victim(snapshot.QueueOf(group), groupRank, setRank, place++, pod, group, set);
                inOrder = inOrder && (_victims.Count == 0 || Precedes(_victims[^1], victim));
                _victims.Add(victim);
            }
        }

        if (!inOrder || !SkipsSortInOrder)
        {
            _victims.Sort(static (a, b) =>
                a.Queue != b.Queue ? a.Queue.CompareTo(b.Queue)
                : a.GroupRank != b.GroupRank ? a.GroupRank.CompareTo(b.GroupRank)
                : a.SetRank != b.SetRank ? a.SetRank.CompareTo(b.SetRank)
                : a.Place.CompareTo(b.Place));
        }
    }

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> in chunk order, <paramref name="a"/> being listed first (an earlier place).</summary>
    private static bool Precedes(in Victim a, in Victim b) =>
        a.Queue != b.Queue ? a.Queue < b.Queue
        : a.GroupRank != b.GroupRank ? a.GroupRank < b.GroupRank
        : a.SetRank <= b.SetRank;

    /// <summary>The group's rank in this scenario, or -1 if not met yet.</summary>
    private int RankOf(int group)
    {
        var count = _groups.Count;
        if (count > GroupsScanned)
        {
            return _rankByGroup.TryGetValue(group, out var rank) ? rank : -1;
        }

        for (var i = count - 1; i >= 0; i--)
        {
            if (_groups[i].Group == group)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A group first met in this scenario: the next rank, and unranked slots for its pod sets. Returns its rank.</summary>
    private int MeetGroup(int group, int podSets)
    {
        var rank = _groups.Count;
        _groups.Add((group, _setSlots));
        if (_groups.Count == GroupsScanned + 1)
        {
            for (var i = 0; i < _groups.Count; i++)
            {
                _rankByGroup[_groups[i].Group] = i;
            }
        }
        else if (_groups.Count > GroupsScanned)
        {
            _rankByGroup[group] = rank;
        }

        if (_setRanks.Length < _setSlots + podSets)
        {
            Array.Resize(ref _setRanks, Math.Max(_setRanks.Length * 2, _setSlots + podSets));
        }

        _setRanks.AsSpan(_setSlots, podSets).Fill(-1);
        _setSlots += podSets;
        return rank;
    }

    /// <summary>
    /// One victim group's chunks, from its first victim at <paramref name="from"/>: in each pod set the first minimum's worth
    /// of victims is core, the rest elastic; each counted elastic pod is a chunk, then the counted core pods together.
    /// Returns where the next group starts.
    /// </summary>
    private int AddGroup(ISessionView session, int from)
    {
        var first = _victims[from];
        var sets = session.Snapshot.PodSetsOf(first.Group);
        var core = ResourceVector.Zero;
        var coreCounted = false;
        var i = from;
        while (i < _victims.Count && _victims[i].Group == first.Group)
        {
            var set = _victims[i].Set;
            for (var index = 0; i < _victims.Count && _victims[i].Group == first.Group && _victims[i].Set == set; index++, i++)
            {
                var pod = _victims[i].Pod;
                if (_uncounted.Contains(pod))
                {
                    continue;
                }

                var request = session.AllocatedOf(pod);
                if (index < sets[set].MinAvailable)
                {
                    core += request;
                    coreCounted = true;
                }
                else
                {
                    Chunks.Add((first.Queue, request));
                }
            }
        }

        if (coreCounted)
        {
            Chunks.Add((first.Queue, core));
        }

        return i;
    }

    private readonly record struct Victim(int Queue, int GroupRank, int SetRank, int Place, int Pod, int Group, int Set);
}
