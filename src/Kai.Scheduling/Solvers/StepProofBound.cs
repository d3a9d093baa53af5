using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Whether the cheap proofs (<see cref="TryRoomCheck"/>, <see cref="VictimNodeReach"/>) fail every try a step can make
/// with the victim units taken so far. A try evicts the step's recorded victims and taken pods of some groups: a subset
/// of all the victims taken. Both proofs only grow with what the victims free on each node (freed amounts are never
/// negative), so when they fail with every taken victim gone at once, counted generously, they fail each such try.
/// A step's search then counts its tries as it walks — the cap and the failure are the same — without proving each one.
/// </summary>
/// <remarks>
/// Generous where that is simpler, which keeps it a bound: a victim sharing GPUs frees its request and every device it
/// shares whole (each device a proof counts free is one some victim of the try shares), and its node counts as one a
/// sharing victim leaves. Once the bound may be passed it stays so for the rest of the step (units are only added), and
/// is not looked at again until the next step starts.
/// </remarks>
internal sealed class StepProofBound(Session session, TryRoomCheck roomCheck)
{
    // Every taken victim's generous freed amount per node, and whether a sharing victim leaves it.
    private readonly Dictionary<int, (ResourceVector Freed, bool Sharing)> _freedByNode = [];

    // The room check's needs (of pods that do not fit the largest free amounts) no node meets yet with the taken victims.
    private readonly List<(long Cpu, long Memory, long Gpu)> _needsUnmet = [];

    // The room proof, once the room check may pass: what each taken victim's node adds to the room, and their sum.
    private readonly Dictionary<int, long> _gains = [];
    private Func<VictimNodeReach?>? _reachOfStep;
    private VictimNodeReach? _reach;
    private bool _reachCounted;
    private long _gained;

    /// <summary>Whether every try with victims among those taken so far is failed by a proof.</summary>
    public bool FailsEveryTry { get; private set; }

    /// <summary>Starts a step placing <paramref name="pods"/> with <paramref name="recorded"/> evicted; <paramref name="reachOfStep"/> gives its room proof (null where none applies), asked once the room check may pass.</summary>
    public void Start(int[] pods, List<int> recorded, Func<VictimNodeReach?> reachOfStep)
    {
        _freedByNode.Clear();
        _needsUnmet.Clear();
        _gains.Clear();
        _reachOfStep = reachOfStep;
        _reach = null;
        _reachCounted = false;
        _gained = 0;
        foreach (var pod in pods)
        {
            var need = roomCheck.Need(pod);
            if (!roomCheck.FitsLargestFree(need) && !_needsUnmet.Contains(need))
            {
                _needsUnmet.Add(need);
            }
        }

        FailsEveryTry = true;
        Take(recorded);
    }

    /// <summary>Adds victims taken; does nothing once the bound may be passed.</summary>
    public void Take(List<int> victims)
    {
        if (!FailsEveryTry)
        {
            return;
        }

        foreach (var victim in victims)
        {
            var node = session.NodeOf(victim);
            if (node >= 0)
            {
                var (freed, sharing) = _freedByNode.GetValueOrDefault(node);
                var gpu = session.Snapshot.Pods[victim].Gpu;
                var request = session.RequestOf(victim);
                if (gpu.IsShared)
                {
                    request = request.WithGpu(request.Gpu + (Math.Max(gpu.Devices, session.GpuGroupsOf(victim).Count) * ResourceVector.MilliPerGpu));
                }

                _freedByNode[node] = (freed + request, sharing || gpu.IsShared);
            }
        }

        FailsEveryTry = RoomCheckFails(victims) || ReachFails(victims);
    }

    /// <summary>Whether some pod's need is met by no node of the taken victims (looking again only at the nodes of <paramref name="victims"/>).</summary>
    private bool RoomCheckFails(List<int> victims)
    {
        for (var i = _needsUnmet.Count - 1; i >= 0 && victims.Count > 0; i--)
        {
            foreach (var victim in victims)
            {
                var node = session.NodeOf(victim);
                if (node >= 0 && roomCheck.Fits(_needsUnmet[i], node, _freedByNode[node].Freed))
                {
                    _needsUnmet.RemoveAt(i);
                    break;
                }
            }
        }

        return _needsUnmet.Count > 0;
    }

    /// <summary>Whether the room proof applies and the nodes, with every taken victim gone, still hold fewer than the step's pods.</summary>
    private bool ReachFails(List<int> victims)
    {
        if (!_reachCounted)
        {
            // The room check may pass from here on: the room proof decides, counted over every taken victim's node once.
            _reachCounted = true;
            _reach = _reachOfStep!();
            if (_reach is null)
            {
                return false;
            }

            foreach (var node in _freedByNode.Keys)
            {
                Gain(_reach, node);
            }
        }
        else if (_reach is not null)
        {
            foreach (var victim in victims)
            {
                if (session.NodeOf(victim) is >= 0 and var node)
                {
                    Gain(_reach, node);
                }
            }
        }

        return _reach is not null && _reach.RoomAsItStands + _gained < _reach.PodCount;
    }

    private void Gain(VictimNodeReach reach, int node)
    {
        var (freed, sharing) = _freedByNode[node];
        var gain = reach.GainOn(node, freed, sharing);
        _gained += gain - _gains.GetValueOrDefault(node);
        _gains[node] = gain;
    }
}
