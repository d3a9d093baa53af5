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
/// </remarks>
internal sealed class VictimChunkList
{
    private readonly List<Victim> _victims = [];
    private readonly Dictionary<int, int> _groupRank = [];
    private readonly Dictionary<(int Group, int Set), int> _setRank = [];
    private readonly HashSet<int> _uncounted = [];

    /// <summary>The chunks of the last <see cref="Build"/>: each victim leaf queue with one chunk it gives up.</summary>
    public List<(int Queue, ResourceVector Chunk)> Chunks { get; } = [];

    /// <summary>Lists the scenario's chunks; with <paramref name="movedFreeNothing"/>, moved pods keep their place in the split but free nothing.</summary>
    public void Build(ISessionView session, EvictionScenario scenario, bool movedFreeNothing)
    {
        Sort(session, scenario);
        _uncounted.Clear();
        if (movedFreeNothing)
        {
            _uncounted.UnionWith(scenario.MovedPods);
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
        _groupRank.Clear();
        _setRank.Clear();
        var snapshot = session.Snapshot;
        var place = 0;
        foreach (var list in (ReadOnlySpan<IReadOnlyList<int>>)[scenario.EvictedPods, scenario.MovedPods])
        {
            foreach (var pod in list)
            {
                var group = snapshot.GroupOf(pod);
                var set = snapshot.PodSetIndexOf(pod);
                if (!_groupRank.TryGetValue(group, out var groupRank))
                {
                    _groupRank[group] = groupRank = _groupRank.Count;
                }

                if (!_setRank.TryGetValue((group, set), out var setRank))
                {
                    _setRank[(group, set)] = setRank = _setRank.Count;
                }

                _victims.Add(new Victim(snapshot.QueueOf(group), groupRank, setRank, place++, pod, group, set));
            }
        }

        _victims.Sort(static (a, b) =>
            a.Queue != b.Queue ? a.Queue.CompareTo(b.Queue)
            : a.GroupRank != b.GroupRank ? a.GroupRank.CompareTo(b.GroupRank)
            : a.SetRank != b.SetRank ? a.SetRank.CompareTo(b.SetRank)
            : a.Place.CompareTo(b.Place));
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
