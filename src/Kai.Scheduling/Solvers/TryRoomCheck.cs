using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A necessary condition for one try, on exactly its victims (<see cref="RoomEstimate"/> looks at every victim the
/// search has taken so far): each of the preemptor's pods needs one node with room for its CPU, memory and whole GPUs,
/// counting what the try's victims free there. A simulated pod only ever lands where the node's free resources plus
/// what the try evicted there cover it (victims placed back only take room), so a try that fails this check would fail
/// its simulation; it is counted as a try all the same, so the search takes the same steps and gives up at the same
/// point.
/// </summary>
/// <remarks>
/// Room is over-estimated wherever that is simpler, which keeps the check necessary: nodes without victims are
/// represented by the largest free amount of each resource over all nodes (taken separately; for CPU and memory the largest
/// allocatable), a victim sharing GPUs
/// frees its devices whole, and a pod sharing GPUs needs none whole.
/// </remarks>
internal sealed class TryRoomCheck
{
    private readonly Session _session;
    private readonly Dictionary<int, ResourceVector> _freedByNode = [];
    private readonly (long Cpu, long Memory, long Gpu) _largestFree;

    // The layered sums of a try read in place, and which needs a recorded victims' node takes on its own (per step).
    private readonly TryFreedLayers _layers;
    private readonly Dictionary<(long Cpu, long Memory, long Gpu), bool> _fitsRecordedNode = [];

    /// <summary>
    /// Whether a try read in place is checked on the step's recorded victims' sums, taken once per step, and the try's own
    /// pods' nodes (<see cref="TryFreedLayers"/>) instead of summing all its victims; off only in tests that compare.
    /// </summary>
    public bool Layered { get; init; } = true;

    /// <param name="session">The session, as the search found it.</param>
    /// <param name="layers">Layers to read tries on, kept across searches (<see cref="SearchScratch"/>), made with <see cref="LayersFor"/>; null: new ones.</param>
    public TryRoomCheck(Session session, TryFreedLayers? layers = null)
    {
        _session = session;
        _layers = layers ?? LayersFor(session);

        // From the node index instead of a pass over every node at every search: GPUs from the top of its GPU order, CPU
        // and memory bounded by the largest allocatable (GPUs bind on the clusters the search works hard on). An
        // over-estimate only lets more tries through to a simulation that fails them, never fails one it would place.
        var index = session.NodeIndex;
        var allocatable = index.LargestAllocatable;
        _largestFree = (allocatable.Cpu, allocatable.Memory, index.LargestFree(PlacementResource.Gpu));
    }

    /// <summary>Whether each pod could fit somewhere with the try's victims evicted (false: the try cannot place them).</summary>
    public bool EachPodCouldFit(int[] pods, TryVictims victims)
    {
        if (Layered && victims.Scenario is { } scenario)
        {
            return EachPodCouldFitLayered(pods, victims.Recorded, scenario, victims.Node);
        }

        // Pods that fit the largest free resources fit whatever is evicted: the victims are summed only when one does not.
        var summed = false;
        foreach (var pod in pods)
        {
            var need = Need(pod);
            if (FitsLargestFree(need))
            {
                continue;
            }

            if (!summed)
            {
                Sum(victims);
                summed = true;
            }

            if (!CouldFit(need))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="EachPodCouldFit"/> on the layers: a pod fits a recorded victim's node with the recorded victims alone, or
    /// a node of the try's own pods with both layers. Freed amounts are never negative, so a recorded victim's node that
    /// takes the pod on its own takes it with the try's pods too; the other nodes of the try are those of its own pods.
    /// </summary>
    private bool EachPodCouldFitLayered(int[] pods, List<int> recorded, ScenarioVictims scenario, int node)
    {
        var summed = false;
        foreach (var pod in pods)
        {
            var need = Need(pod);
            if (FitsLargestFree(need))
            {
                continue;
            }

            if (!summed)
            {
                if (_layers.TakeRecorded(recorded))
                {
                    _fitsRecordedNode.Clear();
                }

                _layers.TakeTry(scenario, node);
                summed = true;
            }

            if (!FitsRecordedNode(need) && !FitsTryNode(need))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a node of the step's <paramref name="recorded"/> victims meets the need with them gone, as a try's check finds it.</summary>
    internal bool RecordedNodesFit(List<int> recorded, (long Cpu, long Memory, long Gpu) need)
    {
        if (_layers.TakeRecorded(recorded))
        {
            _fitsRecordedNode.Clear();
        }

        return FitsRecordedNode(need);
    }

    private bool FitsRecordedNode((long Cpu, long Memory, long Gpu) need)
    {
        if (!_fitsRecordedNode.TryGetValue(need, out var fits))
        {
            fits = _layers.Recorded.Any(recorded => Fits(need, recorded.Key, recorded.Value));
            _fitsRecordedNode[need] = fits;
        }

        return fits;
    }

    private bool FitsTryNode((long Cpu, long Memory, long Gpu) need)
    {
        foreach (var (node, freed) in _layers.Try)
        {
            if (Fits(need, node, _layers.FreedOn(node, freed)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the node's free resources and <paramref name="freed"/> cover the need (the check's test of one node).</summary>
    internal bool Fits((long Cpu, long Memory, long Gpu) need, int node, ResourceVector freed)
    {
        var room = _session.NodeAt(node).Free + freed;
        return need.Cpu <= room.Cpu && need.Memory <= room.Memory && need.Gpu <= room.Gpu;
    }

    /// <summary>Takes <paramref name="victimPods"/> as the try's victims for the <see cref="PodCouldFit"/> checks that follow.</summary>
    public void Evicting(List<int> victimPods) => Sum(new TryVictims(victimPods));

    private void Sum(TryVictims victims)
    {
        _freedByNode.Clear();
        foreach (var victim in victims)
        {
            var node = _session.NodeOf(victim);
            if (node >= 0)
            {
                _freedByNode[node] = _freedByNode.GetValueOrDefault(node) + Freed(victim);
            }
        }
    }

    /// <summary>Whether the pod could fit somewhere with the victims last given to <see cref="Evicting"/> evicted.</summary>
    public bool PodCouldFit(int pod) => CouldFit(Need(pod));

    private bool CouldFit((long Cpu, long Memory, long Gpu) need)
    {
        if (FitsLargestFree(need))
        {
            return true;
        }

        foreach (var (node, freed) in _freedByNode)
        {
            if (Fits(need, node, freed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the need fits the largest free amounts (the room the check grants every node without victims).</summary>
    internal bool FitsLargestFree((long Cpu, long Memory, long Gpu) need) =>
        need.Cpu <= _largestFree.Cpu && need.Memory <= _largestFree.Memory && need.Gpu <= _largestFree.Gpu;

    /// <summary>What the check asks of a node for the pod: CPU, memory and whole GPUs (none for a pod sharing GPUs).</summary>
    internal (long Cpu, long Memory, long Gpu) Need(int pod)
    {
        var request = _session.RequestOf(pod);
        return (request.Cpu, request.Memory, _session.Snapshot.Pods[pod].Gpu.IsShared ? 0 : request.Gpu);
    }

    /// <summary>Layers of what tries free as this check counts it (a victim sharing GPUs freeing its devices whole).</summary>
    public static TryFreedLayers LayersFor(Session session) => new(session, victim => Freed(session, victim));

    private ResourceVector Freed(int victim) => Freed(_session, victim);

    private static ResourceVector Freed(Session session, int victim)
    {
        var request = session.RequestOf(victim);
        var gpu = session.Snapshot.Pods[victim].Gpu;
        return gpu.IsShared ? request.WithGpu(Math.Max(request.Gpu, gpu.Devices * ResourceVector.MilliPerGpu)) : request;
    }
}
