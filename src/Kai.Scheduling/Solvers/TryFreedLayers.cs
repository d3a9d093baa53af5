using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// What a try's victims free on each node, in two layers: the step's recorded victims, summed once per step, and the
/// taken pods of the search's groups on the tried node, summed at each try. A try's victims are exactly the two layers'
/// pods (the taken pods are never recorded ones), so a node's freed amount is the sum of its two layers; a proof reads
/// the recorded layer's verdicts once per step and looks again only at the nodes the try's own pods run on.
/// </summary>
internal sealed class TryFreedLayers(Session session, Func<int, ResourceVector> freedBy)
{
    private readonly Dictionary<int, ResourceVector> _recorded = [];
    private readonly Dictionary<int, ResourceVector> _try = [];

    // The recorded victims last summed: a step's recorded victims are never changed once recorded, so the same list
    // is the same layer.
    private List<int>? _recordedOf;

    // Each taken group's freed amount per node and whether a pod of it shares GPUs, for the scenario last read: a group's
    // taken pods only grow, in the order taken, so only the pods taken since are added (a gang is summed once, not at
    // every try on each of its nodes).
    private readonly Dictionary<int, GroupSums> _groups = [];

    // Sums of a scenario read before, emptied, for the groups of the next (a search reads one scenario per step).
    private readonly Stack<GroupSums> _spare = [];
    private ScenarioVictims? _scenarioOf;
    private int _generationOf;

    /// <summary>The recorded layer: freed amount per node of the step's recorded victims.</summary>
    public Dictionary<int, ResourceVector> Recorded => _recorded;

    /// <summary>The try's layer: freed amount per node of the taken pods of the groups on the tried node.</summary>
    public Dictionary<int, ResourceVector> Try => _try;

    /// <summary>Whether a recorded victim shares GPUs.</summary>
    public bool RecordedShareGpus { get; private set; }

    /// <summary>Sums <paramref name="recorded"/> unless it is the list last summed; true when it summed them anew.</summary>
    public bool TakeRecorded(List<int> recorded)
    {
        if (ReferenceEquals(recorded, _recordedOf))
        {
            return false;
        }

        _recordedOf = recorded;
        RecordedShareGpus = Sum(recorded, _recorded);
        return true;
    }

    /// <summary>Sums the taken pods of <paramref name="scenario"/>'s groups on <paramref name="node"/>; true when one of them shares GPUs.</summary>
    public bool TakeTry(ScenarioVictims scenario, int node)
    {
        _try.Clear();
        if (!ReferenceEquals(scenario, _scenarioOf) || scenario.Generation != _generationOf)
        {
            foreach (var sums in _groups.Values)
            {
                sums.Clear();
                _spare.Push(sums);
            }

            _groups.Clear();
            _scenarioOf = scenario;
            _generationOf = scenario.Generation;
        }

        var sharesGpus = false;
        if (scenario.GroupsOn(node) is { } groups)
        {
            foreach (var group in groups)
            {
                var sums = SumsOf(group, scenario.PodsTakenOf(group));
                foreach (var (on, freed) in sums.ByNode)
                {
                    _try[on] = _try.GetValueOrDefault(on) + freed;
                }

                sharesGpus |= sums.SharesGpus;
            }
        }

        return sharesGpus;
    }

    private GroupSums SumsOf(int group, List<int> taken)
    {
        if (!_groups.TryGetValue(group, out var sums))
        {
            _groups[group] = sums = _spare.TryPop(out var spare) ? spare : new GroupSums();
        }

        for (; sums.Summed < taken.Count; sums.Summed++)
        {
            var pod = taken[sums.Summed];
            var node = session.NodeOf(pod);
            if (node >= 0)
            {
                sums.Add(node, freedBy(pod));
                sums.SharesGpus |= session.Snapshot.Pods[pod].Gpu.IsShared;
            }
        }

        return sums;
    }

    /// <summary>One taken group's freed amount per node (a group runs on few nodes: a short list).</summary>
    private sealed class GroupSums
    {
        public List<(int Node, ResourceVector Freed)> ByNode { get; } = [];

        public int Summed { get; set; }

        public bool SharesGpus { get; set; }

        public void Clear()
        {
            ByNode.Clear();
            Summed = 0;
            SharesGpus = false;
        }

        public void Add(int node, ResourceVector freed)
        {
            for (var i = 0; i < ByNode.Count; i++)
            {
                if (ByNode[i].Node == node)
                {
                    ByNode[i] = (node, ByNode[i].Freed + freed);
                    return;
                }
            }

            ByNode.Add((node, freed));
        }
    }

    /// <summary>A node's freed amount with both layers.</summary>
    public ResourceVector FreedOn(int node, ResourceVector inTry) => _recorded.TryGetValue(node, out var recorded) ? recorded + inTry : inTry;

    private bool Sum(List<int> pods, Dictionary<int, ResourceVector> layer)
    {
        layer.Clear();
        var sharesGpus = false;
        foreach (var pod in pods)
        {
            var node = session.NodeOf(pod);
            if (node >= 0)
            {
                layer[node] = layer.GetValueOrDefault(node) + freedBy(pod);
                sharesGpus |= session.Snapshot.Pods[pod].Gpu.IsShared;
            }
        }

        return sharesGpus;
    }
}
