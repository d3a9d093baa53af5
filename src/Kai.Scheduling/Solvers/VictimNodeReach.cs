using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Decides, without simulating, the tries of a step that the nodes cannot hold. In a try, a node none of whose pods the
/// try evicts (an untouched node) has at most the room it has in the session (victims placed back and the step's other
/// pods only take room) and, where every dynamic predicate reads only the node itself, the same verdicts. So the step's
/// pods fit only if the untouched nodes' room as the session stands — none when no node takes any of the pods, else
/// how many each node's free resources hold, counted once per step — plus the nodes the try evicts from, with their
/// free resources and what the try evicts there, hold that many such pods. A try where they do not would fail its
/// simulation; it is counted all the same, so the search takes the same steps and gives up at the same point.
/// </summary>
/// <remarks>
/// Only for pods of one request and one constraint signature (a gang's pods usually are) whose placement reads nothing beyond each node: no
/// topology-constrained sub-groups (node sets), no claims, node-local dynamic predicates only (taken never to accept a
/// node because more pods run there, as host ports), and no GPU-memory share under a capacity plugin (its per-node
/// quota check reads the queue's allocation, which the try's victims may lower). Nodes the static predicates reject
/// hold none. Room on a victim node is over-estimated where that is simpler, which keeps the check necessary: a node
/// holds as many pods as each resource alone would allow; a shared device counts whole once every pod sharing it is a
/// victim (each sharing victim's own request counts as well); and pods sharing GPUs are not counted by GPUs, only kept
/// off nodes where no victim frees or shares a GPU and no GPU has room for them as the session stands.
/// </remarks>
internal sealed class VictimNodeReach
{
    private readonly Session _session;
    private readonly int _pod;
    private readonly int _count;
    private readonly ResourceVector _request;
    private readonly bool _shared;
    // A try's books on the path that sums every victim (emptied at each try, so the proofs of one search may share them),
    // made when first needed; the books below are too (a search builds a proof per step and per chained pod count, and
    // most are never asked about a try, or never on this path): null reads as empty.
    private PlainTryBooks? _plain;

    // How many of the pods each node holds as the session stands (nodes that hold none left out), and their sum: the
    // room of the nodes a try leaves alone is the sum less the try's victim nodes (null and 0 when no node takes any of
    // the pods as the session stands).
    private Dictionary<int, long>? _holdsAsItStands;
    private Dictionary<int, long>? _standingHolds;
    private long _roomAsItStands;

    // The layered sums of a try read in place (TryFreedLayers), and per step: how many pods each recorded victim's node
    // holds with the recorded victims gone, and the room of all nodes with only the recorded victims gone.
    private TryFreedLayers? _layers;
    private Dictionary<int, long>? _holdsWithRecorded;
    private long _roomWithRecorded;

    // Shared devices (per step, of the recorded victims; per try, of the try's own pods): sharers leaving each device, the
    // nodes sharers leave from, and (recorded) the devices freed per node.
    private Dictionary<GpuGroup, int>? _recordedLeaving;
    private HashSet<int>? _recordedSharingNodes;
    private Dictionary<int, long>? _recordedDevicesFreed;
    private Dictionary<GpuGroup, int>? _tryLeaving;
    private HashSet<int>? _trySharingNodes;

    private VictimNodeReach(Session session, int pod, int count)
    {
        _session = session;
        _pod = pod;
        _count = count;
        _request = session.RequestOf(pod);
        _shared = session.Snapshot.Pods[pod].Gpu.IsShared;
    }

    private TryFreedLayers Layers => _layers ??= new TryFreedLayers(_session, _session.RequestOf);

    /// <summary>
    /// Whether a try read in place is decided on the step's recorded victims' room, taken once per step, and the try's own
    /// pods' nodes (<see cref="TryFreedLayers"/>) instead of summing all its victims; off only in tests that compare.
    /// </summary>
    public bool Layered { get; init; } = true;

    /// <summary>
    /// Whether the proof reads how many pods each node holds as the session stands from the search's standing room (shared
    /// by every step, capped at this step's pods where read) instead of a copy capped for this step; off only in tests.
    /// </summary>
    public bool SharesStandingHolds { get; init; } = true;

    /// <summary>Whether the nodes hold every pod of the step as the session stands, without any victim (the check then never fails a try).</summary>
    private bool RoomWithoutVictims => _roomAsItStands >= _count;

    /// <summary>Whether some pod of the step fits somewhere as the session stands, so untouched nodes' room is counted.</summary>
    public bool CountsRoomAsItStands => _holdsAsItStands is not null || _standingHolds is not null;

    /// <summary>
    /// The check for placing <paramref name="pods"/> of <paramref name="group"/>, or null when it does not apply: their
    /// requests or constraint signatures differ, their placement reads beyond a node, or the nodes hold them all as the
    /// session stands (<paramref name="placeableAlone"/> answers whether a pod could be placed as the session stands, so
    /// the caller may remember it across steps; when none can, no node a try leaves alone takes any).
    /// </summary>
    /// <param name="session">The session, as the search found it.</param>
    /// <param name="group">The preemptor.</param>
    /// <param name="pods">The step's pods.</param>
    /// <param name="placeableAlone">Whether a pod could be placed as the session stands.</param>
    /// <param name="standing">The nodes' room as the session stands, counted by an earlier step of the search; counted again when it does not serve these pods.</param>
    /// <param name="layered">Whether tries read in place are decided on layers (<see cref="Layered"/>).</param>
    /// <param name="sharesStandingHolds">Whether the standing room's counts are read in place (<see cref="SharesStandingHolds"/>).</param>
    /// <param name="plainBooks">Books for trying victims summed all at once, shared with the search's other proofs (null: its own when needed).</param>
    public static VictimNodeReach? For(Session session, int group, ReadOnlySpan<int> pods, Func<int, bool> placeableAlone, ref StandingRoom? standing, bool layered = true, bool sharesStandingHolds = true, PlainTryBooks? plainBooks = null)
    {
        var first = session.Snapshot.Pods[pods[0]];
        if (session.Plugins.NodeSets.Length > 0 && session.Snapshot.SubGroupTreeOf(group) is not null)
        {
            return null;
        }

        // One request and one set of static verdicts (a constraint signature's) for all of them.
        var verdicts = session.FeasibilityCache.ResultsFor(pods[0]);
        foreach (var pod in pods)
        {
            var definition = session.Snapshot.Pods[pod];
            if (definition.Request != first.Request || definition.Gpu != first.Gpu || definition.Claims.Count > 0
                || !ReferenceEquals(session.FeasibilityCache.ResultsFor(pod), verdicts)
                || (definition.Gpu.Kind == GpuRequestKind.Memory && session.Plugins.Capacity is not null)
                || !session.Plugins.DynamicChecksAreNodeLocal(session, pod))
            {
                return null;
            }
        }

        var reach = new VictimNodeReach(session, pods[0], pods.Length) { Layered = layered, SharesStandingHolds = sharesStandingHolds, _plain = plainBooks };
        if (AnyPlaceable(pods, placeableAlone))
        {
            standing = standing is not null && standing.Serves(pods[0]) ? standing : reach.CountStandingRoom();
            reach.Count(standing);
        }

        return reach.RoomWithoutVictims ? null : reach;
    }

    private static bool AnyPlaceable(ReadOnlySpan<int> pods, Func<int, bool> placeableAlone)
    {
        foreach (var pod in pods)
        {
            if (placeableAlone(pod))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many such pods each node holds as the session stands, for any number of pods.</summary>
    private StandingRoom CountStandingRoom() => new(_session, _pod, StandingNodes(fromNodeIndex: true));

    /// <summary>
    /// The nodes that hold any pod like <paramref name="pod"/> as the session stands, with how many, in node order; read
    /// from the node index's GPU order where it applies, or (for tests) from every node.
    /// </summary>
    internal static List<(int Node, long Holds)> StandingNodes(Session session, int pod, bool fromNodeIndex) =>
        new VictimNodeReach(session, pod, 1).StandingNodes(fromNodeIndex);

    private List<(int Node, long Holds)> StandingNodes(bool fromNodeIndex)
    {
        var nodes = new List<(int Node, long Holds)>();
        foreach (var n in NodesThatMayHold(fromNodeIndex))
        {
            if (Holds(_session.NodeAt(n), ResourceVector.Zero, long.MaxValue, sharingVictimNode: false) is > 0 and var holds)
            {
                nodes.Add((n, holds));
            }
        }

        nodes.Sort();
        return nodes;
    }

    /// <summary>
    /// The nodes that may hold a pod as the session stands. A pod of whole GPUs fits only where that many are free, so
    /// those come from the top of the node index's GPU order (its nodes without a GPU total rank last and are read first;
    /// nodes outside it have no GPUs); on a full cluster they are a few of thousands. Any other pod: every node.
    /// </summary>
    private IEnumerable<int> NodesThatMayHold(bool fromNodeIndex)
    {
        if (!fromNodeIndex || _shared || _request.Gpu <= 0)
        {
            for (var n = 0; n < _session.Snapshot.Nodes.Count; n++)
            {
                yield return n;
            }

            yield break;
        }

        foreach (var rank in _session.NodeIndex.Ordered(PlacementResource.Gpu, PlacementStrategy.Binpack).Reverse())
        {
            if (rank.Total > 0 && rank.Free < _request.Gpu)
            {
                yield break;
            }

            yield return rank.Node;
        }
    }

    /// <summary>Takes the room of the nodes as the session stands, each node's capped at this step's pods.</summary>
    private void Count(StandingRoom standing)
    {
        if (SharesStandingHolds)
        {
            // The room's own counts, capped at this step's pods where read (HoldsAsItStands).
            _standingHolds = standing.HoldsByNode;
            foreach (var (_, holds) in standing.Nodes)
            {
                _roomAsItStands += Math.Min(holds, _count);
            }

            return;
        }

        _holdsAsItStands = new Dictionary<int, long>(standing.Nodes.Count);
        foreach (var (node, holds) in standing.Nodes)
        {
            _holdsAsItStands[node] = Math.Min(holds, _count);
            _roomAsItStands += Math.Min(holds, _count);
        }
    }

    /// <summary>The step's number of pods: a try passes when the nodes hold that many.</summary>
    internal long PodCount => _count;

    /// <summary>The room with only the step's <paramref name="recorded"/> victims gone, as a try's proof counts it.</summary>
    internal long RoomWithRecorded(List<int> recorded)
    {
        if (Layers.TakeRecorded(recorded))
        {
            CountRoomWithRecorded(recorded);
        }

        return _roomWithRecorded;
    }

    /// <summary>A node's part of <see cref="RoomWithRecorded"/>, which a try evicting from it counts again with its own victims.</summary>
    internal long HoldsWithRecorded(int node) => _holdsWithRecorded is not null && _holdsWithRecorded.TryGetValue(node, out var holds) ? holds : HoldsAsItStands(node);

    /// <summary>How many of the step's pods the node holds with <paramref name="freed"/> added to its free resources (capped at <see cref="PodCount"/>).</summary>
    internal long HoldsWith(int node, ResourceVector freed, bool sharingVictimNode) => Holds(_session.NodeAt(node), freed, _count, sharingVictimNode);

    /// <summary>How many of the step's pods the node holds as the session stands (0 where that was not counted).</summary>
    private long HoldsAsItStands(int node) =>
        _standingHolds is { } standing ? Math.Min(standing.GetValueOrDefault(node), _count) : _holdsAsItStands?.GetValueOrDefault(node) ?? 0;

    /// <summary>Whether the nodes the victims run on could hold the pods once the victims are gone (false: the try cannot place them).</summary>
    public bool VictimNodesCouldTake(List<int> victimPods) => VictimNodesCouldTake(new TryVictims(victimPods));

    /// <summary>Whether the nodes the try's victims run on could hold the pods once the victims are gone (false: the try cannot place them).</summary>
    public bool VictimNodesCouldTake(TryVictims victimPods)
    {
        if (Layered && victimPods.Scenario is { } scenario)
        {
            return VictimNodesCouldTakeLayered(victimPods.Recorded, scenario, victimPods.Node);
        }

        var plain = _plain ??= new PlainTryBooks();
        var (freedByNode, sharersLeaving, sharingVictimNodes) = (plain.FreedByNode, plain.SharersLeaving, plain.SharingVictimNodes);
        freedByNode.Clear();
        sharersLeaving.Clear();
        sharingVictimNodes.Clear();
        foreach (var victim in victimPods)
        {
            var node = _session.NodeOf(victim);
            if (node >= 0)
            {
                freedByNode[node] = freedByNode.GetValueOrDefault(node) + _session.RequestOf(victim);
                foreach (var group in _session.Snapshot.Pods[victim].Gpu.IsShared ? _session.GpuGroupsOf(victim) : [])
                {
                    sharingVictimNodes.Add(node);
                    sharersLeaving[group] = sharersLeaving.GetValueOrDefault(group) + 1;
                }
            }
        }

        // A shared device is free once none of its sharers runs or waits to run there.
        foreach (var (group, leaving) in sharersLeaving)
        {
            if (leaving >= group.RunningPods + group.PipelinedPods)
            {
                var freed = freedByNode[group.Node];
                freedByNode[group.Node] = freed.WithGpu(freed.Gpu + ResourceVector.MilliPerGpu);
            }
        }

        // Each victim node's room replaces its room as the session stands (never less, so the sum only grows).
        var held = _roomAsItStands;
        foreach (var (node, freed) in freedByNode)
        {
            held += Holds(_session.NodeAt(node), freed, _count, sharingVictimNodes.Contains(node)) - HoldsAsItStands(node);
            if (held >= _count)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <see cref="VictimNodesCouldTake(TryVictims)"/> on the layers. Every node's term in the room only grows with what it
    /// frees, so the room is that with the recorded victims gone, with each node of the try's own pods counted again with
    /// both layers in place of its count with the recorded victims (or as the session stands). A shared device's sharers
    /// all run on its node, so only the try's nodes can have a device freed by the try's sharers with the recorded ones.
    /// </summary>
    private bool VictimNodesCouldTakeLayered(List<int> recorded, ScenarioVictims scenario, int node)
    {
        if (Layers.TakeRecorded(recorded))
        {
            CountRoomWithRecorded(recorded);
        }

        _tryLeaving?.Clear();
        _trySharingNodes?.Clear();
        if (Layers.TakeTry(scenario, node))
        {
            foreach (var group in scenario.GroupsOn(node)!)
            {
                CountSharers(scenario.PodsTakenOf(group), _tryLeaving ??= [], _trySharingNodes ??= []);
            }
        }

        var held = _roomWithRecorded;
        foreach (var (tried, freed) in Layers.Try)
        {
            var devices = (_recordedDevicesFreed?.GetValueOrDefault(tried) ?? 0) + DevicesFreedWithTry(tried);
            var all = Layers.FreedOn(tried, freed);
            all = devices == 0 ? all : all.WithGpu(all.Gpu + (devices * ResourceVector.MilliPerGpu));
            var before = HoldsWithRecorded(tried);
            var sharing = _recordedSharingNodes?.Contains(tried) == true || _trySharingNodes?.Contains(tried) == true;
            held += Holds(_session.NodeAt(tried), all, _count, sharing) - before;
        }

        return held >= _count;
    }

    /// <summary>The shared devices on the node that the try's sharers free together with the recorded ones, and not the recorded ones alone.</summary>
    private long DevicesFreedWithTry(int node)
    {
        var devices = 0L;
        if (_tryLeaving is null)
        {
            return devices;
        }

        foreach (var (group, leaving) in _tryLeaving)
        {
            // Not when the recorded layer already counts it (exactly its condition, so a device without running or
            // pipelined sharers, freed by the try's sharers alone, is not missed).
            var recorded = 0;
            var countedWithRecorded = _recordedLeaving is not null && _recordedLeaving.TryGetValue(group, out recorded) && recorded >= group.RunningPods + group.PipelinedPods;
            devices += group.Node == node && !countedWithRecorded && recorded + leaving >= group.RunningPods + group.PipelinedPods ? 1 : 0;
        }

        return devices;
    }

    /// <summary>The room with only the step's recorded victims gone, and each of their nodes' part of it.</summary>
    private void CountRoomWithRecorded(List<int> recorded)
    {
        var holdsWithRecorded = _holdsWithRecorded ??= [];
        holdsWithRecorded.Clear();
        _recordedLeaving?.Clear();
        _recordedSharingNodes?.Clear();
        _recordedDevicesFreed?.Clear();
        if (Layers.RecordedShareGpus)
        {
            CountSharers(recorded, _recordedLeaving ??= [], _recordedSharingNodes ??= []);
            var devicesFreed = _recordedDevicesFreed ??= [];
            foreach (var (group, leaving) in _recordedLeaving)
            {
                if (leaving >= group.RunningPods + group.PipelinedPods)
                {
                    devicesFreed[group.Node] = devicesFreed.GetValueOrDefault(group.Node) + 1;
                }
            }
        }

        _roomWithRecorded = _roomAsItStands;
        foreach (var (node, freed) in Layers.Recorded)
        {
            var devices = _recordedDevicesFreed?.GetValueOrDefault(node) ?? 0;
            var holds = Holds(_session.NodeAt(node), devices == 0 ? freed : freed.WithGpu(freed.Gpu + (devices * ResourceVector.MilliPerGpu)), _count, _recordedSharingNodes?.Contains(node) == true);
            holdsWithRecorded[node] = holds;
            _roomWithRecorded += holds - HoldsAsItStands(node);
        }
    }

    /// <summary>Counts the pods' leaving sharers per shared device and the nodes they leave from.</summary>
    private void CountSharers(List<int> pods, Dictionary<GpuGroup, int> leaving, HashSet<int> nodes)
    {
        foreach (var pod in pods)
        {
            var node = _session.NodeOf(pod);
            if (node < 0 || !_session.Snapshot.Pods[pod].Gpu.IsShared)
            {
                continue;
            }

            foreach (var group in _session.GpuGroupsOf(pod))
            {
                nodes.Add(node);
                leaving[group] = leaving.GetValueOrDefault(group) + 1;
            }
        }
    }

    /// <summary>
    /// At most how many of the pods (no more than <paramref name="cap"/>) the node holds with <paramref name="freed"/> added
    /// to its free resources, told whether a sharing victim leaves the node.
    /// </summary>
    private long Holds(NodeState node, ResourceVector freed, long cap, bool sharingVictimNode)
    {
        var room = node.Free + freed;
        var holds = cap;
        holds = Math.Min(holds, Quotient(room.Cpu, _request.Cpu, cap));
        holds = Math.Min(holds, Quotient(room.Memory, _request.Memory, cap));
        holds = Math.Min(holds, Quotient(room.Pods, _request.Pods, cap));
        holds = _shared ? holds : Math.Min(holds, Quotient(room.Gpu, _request.Gpu, cap));
        if (holds == 0 || !_session.FeasibilityCache.Check(_pod, node.Index).IsSuccess
            || (_shared && freed.Gpu <= 0 && !sharingVictimNode && !SharedGpuRoom(node)))
        {
            return 0;
        }

        return holds;
    }

    /// <summary>How many needs of <paramref name="need"/> fit in <paramref name="room"/> (<paramref name="cap"/> when nothing is needed).</summary>
    private static long Quotient(long room, long need, long cap) => need <= 0 ? cap : room < need ? 0 : room / need;

    /// <summary>Whether the node, as the session stands, has a whole free GPU or an open GPU group with room for the pod's share.</summary>
    private bool SharedGpuRoom(NodeState node) =>
        SharedGpuFit.WholeGpus(node.Free.Gpu) > 0 || SharedGpuFit.FitsOpenGroup(_session, _pod, node);

    /// <summary>A try's books where its victims are summed all at once: emptied at each try, so one search's proofs share them.</summary>
    internal sealed class PlainTryBooks
    {
        public Dictionary<int, ResourceVector> FreedByNode { get; } = [];

        public Dictionary<GpuGroup, int> SharersLeaving { get; } = [];

        public HashSet<int> SharingVictimNodes { get; } = [];
    }
}
