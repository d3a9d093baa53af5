using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Fails, without their proofs, the tries of a step that a proof (<see cref="TryRoomCheck"/>, <see cref="VictimNodeReach"/>)
/// would fail because none of the nodes the try evicts from could help. With the step's recorded victims alone, either
/// some pod's need is met by no node (the room check) or the nodes hold fewer than the step's pods (the room proof); a
/// try then passes only through a node of its own victims that, with them gone, meets that need or holds more pods than
/// with the recorded victims alone. Both only grow with what is freed on the node, and a try's victims there are some of
/// every victim taken on it; so a node where even all of them, counted generously, do not help — a useless node — helps
/// no try. A try on a node none of whose taken groups has a pod on a useful node is failed as its proof would fail it,
/// and counted, so the search stops where it did.
/// </summary>
/// <remarks>
/// Kept across an action's searches (<see cref="SearchScratch"/>): its books keep their room.
/// Generous where that is simpler, which keeps it a bound: a victim sharing GPUs frees its request and every device it
/// shares whole (each device a proof counts free is one some victim on the node shares), and its node counts as one a
/// sharing victim leaves. A node becomes useful only as victims on it are taken; a group is marked once it has a taken
/// pod on a useful node (when it takes one there, or when a node it is on becomes useful), so a try reads its node's
/// groups' marks.
/// </remarks>
internal sealed class StepProofBound(Session session)
{
    // Every taken victim's generous freed amount per node (the recorded ones too), whether a sharing victim leaves it, and
    // whether the node is useful: one slot per node touched in the step, found through the node's stamp (a step touches a
    // few hundred of thousands of nodes; the books are the action's, so they are made once and emptied by a new stamp).
    private readonly NodeSlots _nodes = new(session.Snapshot.Nodes.Count);
    private readonly HashSet<int> _usefulGroups = [];
    private ScenarioVictims? _scenario;
    private TryRoomCheck? _roomCheck;

    // Which proof the bound stands on: a need no recorded node meets (the room check), else the room proof whose room with
    // the recorded victims is short of the step's pods; neither when the recorded victims pass both for every try.
    private (long Cpu, long Memory, long Gpu)? _unmetNeed;
    private VictimNodeReach? _reach;

    // The step, until its first try sets the bound up (a step may end without a try: the room proof is then never made).
    private int[] _pods = [];
    private List<int> _recorded = [];
    private Func<VictimNodeReach?>? _reachOfStep;
    private bool _setUp;

    /// <summary>Whether the bound may fail tries in this step (once set up by its first try).</summary>
    private bool Applies => _unmetNeed is not null || _reach is not null;

    /// <summary>
    /// Starts a step placing <paramref name="pods"/> with <paramref name="recorded"/> evicted, whose taken units
    /// <paramref name="scenario"/> keeps; <paramref name="reachOfStep"/> gives its room proof (null where none applies).
    /// </summary>
    public void Start(int[] pods, List<int> recorded, ScenarioVictims scenario, TryRoomCheck roomCheck, Func<VictimNodeReach?> reachOfStep)
    {
        (_pods, _recorded, _scenario, _roomCheck, _reachOfStep) = (pods, recorded, scenario, roomCheck, reachOfStep);
        _setUp = false;
    }

    /// <summary>
    /// Sets the bound up at the step's first try: which proof it stands on (the room proof is made here only where every
    /// try passes the room check, so the try's own proof would make it now), and what the taken units so far free.
    /// </summary>
    private void SetUp()
    {
        _setUp = true;
        _nodes.Clear();
        _usefulGroups.Clear();
        _unmetNeed = null;
        _reach = null;
        var roomCheck = _roomCheck!;
        foreach (var pod in _pods)
        {
            var need = roomCheck.Need(pod);
            if (!roomCheck.FitsLargestFree(need) && !roomCheck.RecordedNodesFit(_recorded, need))
            {
                _unmetNeed = need;
                break;
            }
        }

        if (_unmetNeed is null && _reachOfStep!() is { } reach && reach.RoomWithRecorded(_recorded) < reach.PodCount)
        {
            _reach = reach;
        }

        if (Applies)
        {
            SumTakenSoFar();
        }
    }

    /// <summary>What the recorded victims and the units taken so far free, and which nodes and groups that makes useful.</summary>
    private void SumTakenSoFar()
    {
        AddPlaced(_recorded);
        foreach (var (_, taken) in _scenario!.TakenByGroup)
        {
            AddPlaced(taken);
        }

        for (var slot = 0; slot < _nodes.Count; slot++)
        {
            if (Useful(slot))
            {
                MarkUseful(slot);
            }
        }
    }

    private void AddPlaced(List<int> victims)
    {
        foreach (var victim in victims)
        {
            if (session.NodeOf(victim) is >= 0 and var node)
            {
                Add(victim, node);
            }
        }
    }

    /// <summary>The node is useful: every group with a taken pod on it is marked.</summary>
    private void MarkUseful(int slot)
    {
        _nodes.Useful[slot] = true;
        foreach (var on in _scenario!.GroupsOn(_nodes.Node[slot]) ?? [])
        {
            _usefulGroups.Add(on);
        }
    }

    /// <summary>Adds victims of <paramref name="group"/>, once the scenario has them (before the step's first try, the scenario's books suffice).</summary>
    public void Take(int group, List<int> victims)
    {
        if (!_setUp || !Applies)
        {
            return;
        }

        var marked = false;
        foreach (var victim in victims)
        {
            var node = session.NodeOf(victim);
            if (node < 0)
            {
                continue;
            }

            var slot = Add(victim, node);
            if (_nodes.Useful[slot])
            {
                // Once per unit: its pods on useful nodes mark the same group.
                if (!marked)
                {
                    _usefulGroups.Add(group);
                    marked = true;
                }
            }
            else if (Useful(slot))
            {
                MarkUseful(slot);
            }
        }
    }

    /// <summary>Whether a proof fails the try on <paramref name="node"/>: no group it evicts has a taken pod on a useful node.</summary>
    public bool FailsTryOn(int node)
    {
        if (!_setUp)
        {
            SetUp();
        }

        if (!Applies)
        {
            return false;
        }

        if (_usefulGroups.Count > 0 && _scenario!.GroupsOn(node) is { } groups)
        {
            foreach (var group in groups)
            {
                if (_usefulGroups.Contains(group))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Adds what the victim frees to its node's slot; the slot.</summary>
    private int Add(int victim, int node)
    {
        var slot = _nodes.SlotOf(node);
        var gpu = session.Snapshot.Pods[victim].Gpu;
        var request = session.RequestOf(victim);
        if (gpu.IsShared)
        {
            request = request.WithGpu(request.Gpu + (Math.Max(gpu.Devices, session.GpuGroupsOf(victim).Count) * ResourceVector.MilliPerGpu));
            _nodes.Sharing[slot] = true;
        }

        _nodes.Freed[slot] += request;
        return slot;
    }

    /// <summary>Whether the slot's node, with every victim taken on it gone, meets the unmet need or holds more pods than with the recorded victims alone.</summary>
    private bool Useful(int slot)
    {
        var (node, freed) = (_nodes.Node[slot], _nodes.Freed[slot]);
        return _unmetNeed is { } need
            ? _roomCheck!.Fits(need, node, freed)
            : _reach!.HoldsWith(node, freed, _nodes.Sharing[slot]) > _reach.HoldsWithRecorded(node);
    }

    /// <summary>
    /// The step's books per node touched: a slot each, in the order first touched, found through a per-node stamp (so
    /// emptying them is a new stamp, and a lookup an array read instead of a dictionary's hash).
    /// </summary>
    private sealed class NodeSlots(int nodes)
    {
        private readonly int[] _stampOf = new int[nodes];
        private readonly int[] _slotOf = new int[nodes];
        private int _stamp = 1;

        public int Count { get; private set; }

        public int[] Node { get; private set; } = new int[16];

        public ResourceVector[] Freed { get; private set; } = new ResourceVector[16];

        public bool[] Sharing { get; private set; } = new bool[16];

        public bool[] Useful { get; private set; } = new bool[16];

        public void Clear()
        {
            Count = 0;
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_stampOf);
                _stamp = 1;
            }
        }

        /// <summary>The node's slot, a new empty one at its first touch since <see cref="Clear"/>.</summary>
        public int SlotOf(int node)
        {
            if (_stampOf[node] == _stamp)
            {
                return _slotOf[node];
            }

            if (Count == Node.Length)
            {
                var size = Count * 2;
                (Node, Freed, Sharing, Useful) = (Grown(Node, size), Grown(Freed, size), Grown(Sharing, size), Grown(Useful, size));
            }

            var slot = Count++;
            (Node[slot], Freed[slot], Sharing[slot], Useful[slot]) = (node, ResourceVector.Zero, false, false);
            (_stampOf[node], _slotOf[node]) = (_stamp, slot);
            return slot;
        }

        private static T[] Grown<T>(T[] array, int size)
        {
            Array.Resize(ref array, size);
            return array;
        }
    }
}
