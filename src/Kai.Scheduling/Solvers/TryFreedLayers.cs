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
        var sharesGpus = false;
        if (scenario.GroupsOn(node) is { } groups)
        {
            foreach (var group in groups)
            {
                sharesGpus |= Add(scenario.PodsTakenOf(group), _try);
            }
        }

        return sharesGpus;
    }

    /// <summary>A node's freed amount with both layers.</summary>
    public ResourceVector FreedOn(int node, ResourceVector inTry) => _recorded.TryGetValue(node, out var recorded) ? recorded + inTry : inTry;

    private bool Sum(List<int> pods, Dictionary<int, ResourceVector> layer)
    {
        layer.Clear();
        return Add(pods, layer);
    }

    private bool Add(List<int> pods, Dictionary<int, ResourceVector> layer)
    {
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
