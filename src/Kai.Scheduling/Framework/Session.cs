using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The working state of one scheduling cycle over an immutable <see cref="ClusterSnapshot"/>: node books,
/// pod statuses, gang counts, queue accounting, the node index, and the decisions and explanations made so
/// far. Actions change it only through a <see cref="Statement"/>; plugins only read it.
/// </summary>
public sealed class Session : ISessionView
{
    private readonly PodStatus[] _podStatus;
    private readonly int[] _podNode;
    private readonly bool[] _podVirtual;
    // Only the pods that hold shared GPUs have groups (a few per node): a dictionary, not a per-pod array each cycle.
    private readonly Dictionary<int, GpuGroup[]> _podGpuGroups = [];
    private readonly List<SchedulingDecision> _decisions = [];
    private readonly bool[] _groupPreemptible;
    private readonly NodeIndex? _nodeIndex;
    private readonly NodeState[] _nodes;
    private readonly DateTimeOffset _now;
    private bool _nowRead;
    private PodLabelIndex? _podLabels;

    internal Session(ClusterSnapshot snapshot, SchedulerConfiguration configuration, PluginPipeline plugins)
    {
        Snapshot = snapshot;
        Configuration = configuration;
        Plugins = plugins;
        _now = snapshot.Now;

        // The snapshot's pods charged once per snapshot (patched from the previous snapshot's when carried over),
        // copied here: the session changes its own books only.
        var books = StartingBooks.Of(snapshot);
        _nodes = new NodeState[snapshot.Nodes.Count];
        NodeChanges = new NodeChangeLog(_nodes.Length);
        for (var n = 0; n < _nodes.Length; n++)
        {
            _nodes[n] = new NodeState(snapshot.Nodes[n], n, books.NodeCharges[n], books.NodePods[n]);
        }

        Gangs = new GangBook(snapshot, books);
        Queues = new QueueLedger(snapshot, books.Queues);
        Explanations = new ExplanationBook(this);
        Quantum = new AllocationQuantum(this);

        _groupPreemptible = snapshot.Groups.Select(g => g.Preemptible).ToArray();
        MinGpuMemoryMiB = books.MinGpuMemoryMiB;
        _podStatus = (PodStatus[])books.Status.Clone();
        _podNode = (int[])books.Node.Clone();
        _podVirtual = new bool[_podStatus.Length];
        DraDevices = books.PodsWithClaims > 0 ? new DraBook(snapshot) : null;
        BookSharers(books.Sharers);
        if (DraDevices is not null)
        {
            for (var p = 0; p < _podStatus.Length; p++)
            {
                DraDevices.OnMoved(p, PodStatus.Unknown, -1, _podStatus[p], snapshot.NodeOf(p));
            }
        }

        foreach (var node in _nodes)
        {
            if (node.Node.IsSchedulable)
            {
                SchedulableFree += node.Free;
            }
        }

        _nodeIndex = new NodeIndex(this, plugins.ScoreTiers.ClassTiers);
        FeasibilityCache = new StaticFeasibilityCache(this);
    }

    /// <summary>Books the GPU groups of the snapshot's pods that share GPUs, in pod order (group objects are the session's own).</summary>
    private void BookSharers(int[] sharers)
    {
        foreach (var p in sharers)
        {
            var node = _podNode[p];
            var groups = GroupsFromSnapshot(p, node)!;
            var state = _nodes[node];
            state.BookSharer(groups, Snapshot.Pods[p].Gpu.MemoryOn(state.Node.GpuMemoryMiB), _podStatus[p]);
            _podGpuGroups[p] = groups;
        }
    }

    public ClusterSnapshot Snapshot { get; }

    public SchedulerConfiguration Configuration { get; }

    public DateTimeOffset Now
    {
        get
        {
            SameUntil = null;
            _nowRead = true;
            return _now;
        }
    }

    /// <summary>
    /// Until when this session's outcome stays the same for the same snapshot: the earliest deadline a time-based
    /// rule compared with (<see cref="IsBefore"/>), <see cref="DateTimeOffset.MaxValue"/> when none did, null once
    /// anything read <see cref="Now"/> itself.
    /// </summary>
    internal DateTimeOffset? SameUntil { get; private set; } = DateTimeOffset.MaxValue;

    public bool IsBefore(DateTimeOffset instant)
    {
        if (_now >= instant)
        {
            return false;
        }

        if (!_nowRead && SameUntil is { } until && instant < until)
        {
            SameUntil = instant;
        }

        return true;
    }

    internal PluginPipeline Plugins { get; }

    public ReadOnlySpan<NodeState> Nodes => _nodes;

    /// <summary>One node's books, for the framework's hot paths (one call, no span).</summary>
    internal NodeState NodeAt(int node) => _nodes[node];

    public GangBook Gangs { get; }

    public QueueLedger Queues { get; }

    public ExplanationBook Explanations { get; }

    public AllocationQuantum Quantum { get; }

    // Null only while the constructor replays the snapshot's pods; built once the books are complete.
    internal NodeIndex NodeIndex => _nodeIndex!;

    /// <summary>
    /// Whether a run of placements lets the node search for a pod go on from the previous same-shape pod's search
    /// (<see cref="NodeSearch.SearchTrail"/>); false searches every pod from the start (tests compare both).
    /// </summary>
    internal bool ContinuesNodeSearches { get; set; } = true;

    /// <summary>
    /// Whether the node search skips a walk that requires fitting on idle capacity when no node has the idle amount of the
    /// placement resource the pod needs (<see cref="Placement.NodeIndex.LargestIdle"/>); false walks it, every node turning
    /// the pod down (tests compare both).
    /// </summary>
    internal bool SkipsWalksWhereNothingFitsIdle { get; set; } = true;

    /// <summary>How many walks <see cref="SkipsWalksWhereNothingFitsIdle"/> skipped (for tests: the shortcut took effect).</summary>
    internal int IdleWalksSkipped { get; set; }

    /// <summary>
    /// Whether the node index moves a node whose books changed only when the index is next read, once however many
    /// times they changed meanwhile (<see cref="Placement.NodeIndex.Update"/>): a try's evictions and its rollback change
    /// a node once per pod, and a node that comes back to its rank before anything reads moves not at all. False moves
    /// it at every change (tests compare both).
    /// </summary>
    internal bool DefersNodeIndexMoves { get; set; } = true;

    /// <summary>
    /// Whether the node search walks the index's orders with <see cref="Placement.NodeOrder.Cursor"/>s, which allocate
    /// nothing, rather than with their iterators (an object per walk); false walks with the iterators (tests compare both).
    /// </summary>
    internal bool WalksNodeOrdersWithCursors { get; set; } = true;

    /// <summary>
    /// Whether the node index moves a node in its orders lazily (<see cref="Placement.NodeOrder.MoveLazily"/>): a node
    /// whose rank changed waits in a small overlay that the node search's walks merge in, and leaves it untouched when a
    /// rollback brings it back to its rank; false moves it in the orders' buckets at once (tests compare both).
    /// </summary>
    internal bool OverlaysNodeOrderMoves { get; set; } = true;

    /// <summary>
    /// Whether <see cref="Apply"/> moves a pod that shares no GPU by its request alone: the schedulable free capacity by
    /// the request or not at all, no GPU groups looked up; false reads the node's free capacity before and after each
    /// change as for any pod (tests compare both).
    /// </summary>
    internal bool AppliesUnsharedPodsByDelta { get; set; } = true;

    /// <summary>How many node searches went on from the previous pod's (tests check the shortcut was taken).</summary>
    internal int ContinuedNodeSearches { get; set; }

    internal StaticFeasibilityCache FeasibilityCache { get; }

    /// <summary>Which nodes' books changed since a point of the session (pods put on or taken off them).</summary>
    internal NodeChangeLog NodeChanges { get; }

    /// <summary>Pods on nodes by label, for inter-pod affinity; built on first use, then kept current.</summary>
    public PodLabelIndex PodLabels => _podLabels ??= new PodLabelIndex(this);

    /// <summary>Whether anything needed <see cref="PodLabels"/> yet (pods without affinity never build it).</summary>
    internal bool HasPodLabelIndex => _podLabels is not null;

    /// <summary>
    /// A pod that changes status on its node keeps its place in the node's pod list (on by default). Off, it is taken
    /// off and appended as any move is: the earlier behaviour, kept reachable for the property test that compares both.
    /// </summary>
    internal bool KeepPlaceOnStatusChange { get; set; } = true;

    /// <summary>Decisions of committed statements, in commit order.</summary>
    public IReadOnlyList<SchedulingDecision> Decisions => _decisions;

    public PodStatus StatusOf(int pod) => _podStatus[pod];

    /// <summary>Node index of the pod in this session, or -1.</summary>
    public int NodeOf(int pod) => _podNode[pod];

    /// <summary>Whether the pod's status was set by this session (not read from the cluster).</summary>
    public bool IsVirtual(int pod) => _podVirtual[pod];

    public bool IsPreemptible(int group) => _groupPreemptible[group];

    public ResourceVector RequestOf(int pod) => Snapshot.Pods[pod].Request;

    // A function of the pod's definition alone and cheap (no allocation). A per-session cache of it saved about 1 % of
    // reclaim on the 4,000-node full bench but cost a 7.7 MB array per session at 160,000 pods, which raised the
    // 140,000-pod peak working set by ~8 MB (docs/performance.md, "Fourteenth pass, 2026-12-07: the simulation side").
    public ResourceVector QueueRequestOf(int pod) => GpuAccounting.QueueRequest(Snapshot.Pods[pod]);

    public ResourceVector PendingQueueRequestOf(int pod) => GpuAccounting.PendingQueueRequest(Snapshot.Pods[pod], MinGpuMemoryMiB);

    public ResourceVector AllocatedOf(int pod) => AcceptedOn(pod, _podNode[pod]);

    public IReadOnlyList<GpuGroup> GpuGroupsOf(int pod) => _podGpuGroups.TryGetValue(pod, out var groups) ? groups : [];

    /// <summary>The DRA devices and the claims holding them; null when no pod of the snapshot has claims.</summary>
    public DraBook? DraDevices { get; }

    /// <summary>Whether the pod's DRA claims get free devices on the node, so it may bind rather than wait for releasing ones.</summary>
    internal bool ClaimsFitIdle(int pod, int node) =>
        DraDevices is null || Snapshot.Pods[pod].Claims.Count == 0 || DraDevices.Fit(this, pod, node, releasingToo: false).Success;

    /// <summary>How many GPU group ids the session's kept placements have drawn (a statement's rollback sets it back).</summary>
    internal long GpuGroupSerial { get; set; }

    /// <summary>A number unique among the session's kept placements, for new GPU group ids.</summary>
    internal long NextGpuGroupSerial() => ++GpuGroupSerial;

    /// <summary>The GPU groups the pod holds, as the statement records them (null when none).</summary>
    internal GpuGroup[]? GroupsHeld(int pod) => _podGpuGroups.GetValueOrDefault(pod);

    /// <summary>
    /// The smallest per-GPU memory of the nodes that publish it (100 MiB when none does): what a pending pod's GPU
    /// memory request is converted to GPUs with in queue requests, before it has a node.
    /// </summary>
    public long MinGpuMemoryMiB { get; }

    /// <summary>The resources a pod counts in queues on a node (KAI's accepted resources): GPU memory as that node's fraction.</summary>
    private ResourceVector AcceptedOn(int pod, int node) => AcceptedOn(Snapshot.Pods[pod], node);

    private ResourceVector AcceptedOn(Pod definition, int node) =>
        node >= 0 && definition.Gpu.Kind == GpuRequestKind.Memory ? GpuAccounting.Accepted(definition, _nodes[node].Node.GpuMemoryMiB) : GpuAccounting.QueueRequest(definition);

    /// <summary>Operation lists of closed statements, lent to the next ones (<see cref="RentOperations"/>).</summary>
    private readonly Stack<List<Statement.Operation>> _spareOperations = new();

    /// <summary>An empty operation list for a new statement: a spare one when a statement closed before.</summary>
    internal List<Statement.Operation> RentOperations() =>
        _spareOperations.TryPop(out var spare) ? spare : new List<Statement.Operation>(16);

    /// <summary>Takes back a closed statement's operation list (cleared) for the next statement.</summary>
    internal void ReturnOperations(List<Statement.Operation> operations)
    {
        operations.Clear();
        if (_spareOperations.Count < 8)
        {
            _spareOperations.Push(operations);
        }
    }

    /// <summary>Opens a statement for <paramref name="action"/>: a transaction over this session's state whose decisions are attributed to that action.</summary>
    public Statement Begin(ActionKind action) => new(this, action);

    /// <summary>How many statements have committed; the committed state changes only when this does.</summary>
    public int CommitCount { get; private set; }

    /// <summary>Groups whose pods committed statements changed, in commit order (caches catch up from here).</summary>
    internal List<int> TouchedGroups { get; } = [];

    /// <summary>
    /// Told after each commit, with the committed decisions so far (in commit order; the session only appends to them),
    /// while the action still runs: the host's overlapped write-back starts on them. Null: nobody is told.
    /// </summary>
    public Action<IReadOnlyList<SchedulingDecision>>? Committed { get; set; }

    internal void AddDecisions(List<SchedulingDecision> decisions, List<(int Pod, PodStatus Before, int BeforeNode)> touched)
    {
        _decisions.AddRange(decisions);
        foreach (var (pod, _, _) in touched)
        {
            var group = Snapshot.GroupOf(pod);
            if (group >= 0)
            {
                TouchedGroups.Add(group);
            }
        }

        CommitCount++;
        Committed?.Invoke(_decisions);
    }

    /// <summary>The single place where a pod's status, node and GPU groups change; keeps every book consistent.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="status">Its new status.</param>
    /// <param name="node">Its node (-1 for none).</param>
    /// <param name="isVirtual">Whether the session set the status.</param>
    /// <param name="groups">The GPU groups a pod that shares GPUs holds on <paramref name="node"/> (required then).</param>
    internal void Apply(int pod, PodStatus status, int node, bool isVirtual, GpuGroup[]? groups = null)
    {
        var definition = Snapshot.Pods[pod];
        if (AppliesUnsharedPodsByDelta && !definition.Gpu.IsShared)
        {
            ApplyUnshared(pod, definition, status, node, isVirtual);
        }
        else
        {
            ApplyAny(pod, definition, status, node, isVirtual, groups);
        }
    }

    /// <summary><see cref="Apply"/> for any pod: the node's free capacity read before and after each change of its books.</summary>
    private void ApplyAny(int pod, Pod definition, PodStatus status, int node, bool isVirtual, GpuGroup[]? groups)
    {
        var before = _podStatus[pod];
        var beforeNode = _podNode[pod];
        var beforeGroups = _podGpuGroups.GetValueOrDefault(pod);
        var shared = definition.Gpu.IsShared;
        var holdsNode = status.IsActiveUsed() && node >= 0;
        if (shared && holdsNode && groups is null)
        {
            throw new InvalidOperationException($"pod {definition.Key} shares GPUs: placing it on a node needs its GPU groups");
        }

        var heldNode = before.IsActiveUsed() && beforeNode >= 0;
        if (heldNode && holdsNode && node == beforeNode && KeepPlaceOnStatusChange)
        {
            ChangeStatusOnNode(definition, before, status, node, beforeGroups, groups);
        }
        else
        {
            if (heldNode)
            {
                TakeOffNode(pod, definition, before, beforeNode, beforeGroups);
            }

            if (holdsNode)
            {
                PutOnNode(pod, definition, status, node, groups);
            }
        }

        if (holdsNode && shared && groups is not null)
        {
            _podGpuGroups[pod] = groups;
        }
        else
        {
            _podGpuGroups.Remove(pod);
        }

        Settle(pod, definition, before, beforeNode, status, node, isVirtual);
    }

    /// <summary>
    /// <see cref="Apply"/> for a pod that shares no GPU (<see cref="AppliesUnsharedPodsByDelta"/>): such a pod holds no GPU
    /// groups, and what the node has free moves by its request or not at all (<see cref="FreeShare"/>), so the schedulable
    /// free capacity moves by that instead of by the node's free capacity read before and after.
    /// </summary>
    private void ApplyUnshared(int pod, Pod definition, PodStatus status, int node, bool isVirtual)
    {
        var before = _podStatus[pod];
        var beforeNode = _podNode[pod];
        var request = definition.Request;
        var heldNode = before.IsActiveUsed() && beforeNode >= 0;
        var holdsNode = status.IsActiveUsed() && node >= 0;
        if (heldNode && holdsNode && node == beforeNode && KeepPlaceOnStatusChange)
        {
            var state = _nodes[node];
            state.ChangeStatus(request, before, status);
            ShiftSchedulableFree(state, request, FreeShare(before) - FreeShare(status));
            Touched(node);
        }
        else
        {
            if (heldNode)
            {
                var state = _nodes[beforeNode];
                state.Remove(pod, request, before);
                ShiftSchedulableFree(state, request, FreeShare(before));
                Touched(beforeNode);
            }

            if (holdsNode)
            {
                var state = _nodes[node];
                state.Add(pod, request, status);
                ShiftSchedulableFree(state, request, -FreeShare(status));
                Touched(node);
            }
        }

        Settle(pod, definition, before, beforeNode, status, node, isVirtual);
    }

    /// <summary>
    /// How many times its request a pod in <paramref name="status"/> takes from its node's free capacity (idle plus
    /// releasing, <see cref="NodeState.Free"/>): a releasing pod moves its request from idle to releasing, so none;
    /// every other pod on a node, once (<see cref="NodeState"/>'s charges).
    /// </summary>
    private static int FreeShare(PodStatus status) => status == PodStatus.Releasing ? 0 : 1;

    /// <summary>A node's free capacity grew by <paramref name="times"/> the request (negative: shrank): so did the schedulable free capacity, if the node is schedulable.</summary>
    private void ShiftSchedulableFree(NodeState node, in ResourceVector request, int times)
    {
        if (times != 0 && node.Node.IsSchedulable)
        {
            SchedulableFree = times > 0 ? SchedulableFree + request : SchedulableFree - request;
        }
    }

    /// <summary>A node's books changed: the index and the change log learn of it.</summary>
    private void Touched(int node)
    {
        _nodeIndex?.Update(node);
        NodeChanges.Touch(node);
    }

    /// <summary>The pod's status, node and origin, and every book that follows them: labels, claims, gangs, queues.</summary>
    private void Settle(int pod, Pod definition, PodStatus before, int beforeNode, PodStatus status, int node, bool isVirtual)
    {
        _podStatus[pod] = status;
        _podNode[pod] = status is PodStatus.Pending or PodStatus.Gated ? -1 : node;
        _podVirtual[pod] = isVirtual;
        _podLabels?.OnMoved(pod, before.IsActiveUsed() ? beforeNode : -1, status.IsActiveUsed() ? node : -1);
        DraDevices?.OnMoved(pod, before, beforeNode, status, node);
        Gangs.OnStatusChanged(pod, before, status);
        ChargeQueue(pod, definition, before, beforeNode, status, node);
    }

    /// <summary>Releases what the pod held on its node (in status <paramref name="before"/>) from the node's books and the index.</summary>
    private void TakeOffNode(int pod, Pod definition, PodStatus before, int node, GpuGroup[]? groups)
    {
        var state = _nodes[node];
        var freeBefore = state.Free;
        if (definition.Gpu.IsShared)
        {
            state.RemoveShared(pod, definition.Request, before, groups!, definition.Gpu.MemoryOn(state.Node.GpuMemoryMiB));
        }
        else
        {
            state.Remove(pod, definition.Request, before);
        }

        OnFreeChanged(state, freeBefore);
        Touched(node);
    }

    /// <summary>
    /// A pod that stays on its node changes status (an eviction, or its rollback): the books move as taking it off and
    /// putting it back would move them, the pod keeps its place in the node's pod list, and the index moves the node
    /// once instead of twice.
    /// </summary>
    private void ChangeStatusOnNode(Pod definition, PodStatus before, PodStatus status, int node, GpuGroup[]? beforeGroups, GpuGroup[]? groups)
    {
        var state = _nodes[node];
        var freeBefore = state.Free;
        if (definition.Gpu.IsShared)
        {
            state.ChangeSharedStatus(definition.Request, before, beforeGroups!, status, groups!, definition.Gpu.MemoryOn(state.Node.GpuMemoryMiB));
        }
        else
        {
            state.ChangeStatus(definition.Request, before, status);
        }

        OnFreeChanged(state, freeBefore);
        Touched(node);
    }

    /// <summary>Charges the pod (in status <paramref name="status"/>) to the node's books and the index.</summary>
    private void PutOnNode(int pod, Pod definition, PodStatus status, int node, GpuGroup[]? groups)
    {
        var state = _nodes[node];
        var freeBefore = state.Free;
        if (definition.Gpu.IsShared)
        {
            state.AddShared(pod, definition.Request, status, groups!, definition.Gpu.MemoryOn(state.Node.GpuMemoryMiB));
        }
        else
        {
            state.Add(pod, definition.Request, status);
        }

        OnFreeChanged(state, freeBefore);
        Touched(node);
    }

    /// <summary>Moves what the pod counts in its queue's allocation when its status (or, for a GPU-memory pod, its node) changes.</summary>
    private void ChargeQueue(int pod, Pod definition, PodStatus before, int beforeNode, PodStatus status, int node)
    {
        var group = Snapshot.GroupOf(pod);
        var queue = group >= 0 ? Snapshot.QueueOf(group) : -1;
        var wasAllocated = before.IsActiveAllocated();
        var isAllocated = status.IsActiveAllocated();

        // What a pod counts in its queue depends on its node only when it asks for GPU memory (a node's fraction).
        if (queue >= 0 && (wasAllocated != isAllocated || (wasAllocated && beforeNode != node && definition.Gpu.Kind == GpuRequestKind.Memory)))
        {
            var nonPreemptible = !_groupPreemptible[group];
            if (wasAllocated)
            {
                Queues.SubtractAllocated(queue, AcceptedOn(definition, beforeNode), nonPreemptible);
            }

            if (isAllocated)
            {
                Queues.AddAllocated(queue, AcceptedOn(definition, node), nonPreemptible);
            }
        }
    }

    /// <summary>The GPU groups a pod of the snapshot holds on its node: its groups by id, one of its own per device it does not name.</summary>
    private GpuGroup[]? GroupsFromSnapshot(int pod, int node)
    {
        var definition = Snapshot.Pods[pod];
        if (!definition.Gpu.IsShared || node < 0 || !definition.Status.IsActiveUsed())
        {
            return null;
        }

        // A running sharer without a group label (written by hand, or by another binder) is taken to be alone on
        // its devices: KAI would not count it at all and could over-commit the device.
        var book = _nodes[node].SharedGpuBook;
        var devices = Math.Max(definition.Gpu.Devices, definition.GpuGroups.Count);
        var groups = new GpuGroup[devices];
        for (var d = 0; d < devices; d++)
        {
            groups[d] = book.FindOrCreate(d < definition.GpuGroups.Count ? definition.GpuGroups[d] : $"unlabelled-{definition.Uid}-{d}");
        }

        return groups;
    }

    /// <summary>Idle plus releasing capacity summed over schedulable nodes; kept live.</summary>
    public ResourceVector SchedulableFree { get; private set; }

    private (int Commits, FreeGpuCapacity Free) _freeGpus = (-1, default);

    /// <summary>
    /// GPUs free on schedulable nodes however fragmented, shared GPUs' free parts and MIG instances included, as the
    /// committed books stand (computed once per commit).
    /// </summary>
    public FreeGpuCapacity SchedulableFreeGpus
    {
        get
        {
            if (_freeGpus.Commits != CommitCount)
            {
                var free = default(FreeGpuCapacity);
                foreach (var node in _nodes)
                {
                    if (node.Node.IsSchedulable && node.Node.HasGpus)
                    {
                        free += FreeGpuCapacity.Of(node);
                    }
                }

                _freeGpus = (CommitCount, free);
            }

            return _freeGpus.Free;
        }
    }

    private void OnFreeChanged(NodeState node, in ResourceVector before)
    {
        if (node.Node.IsSchedulable)
        {
            SchedulableFree += node.Free - before;
        }
    }
}
