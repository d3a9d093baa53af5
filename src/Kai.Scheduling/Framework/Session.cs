using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
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
    private readonly List<SchedulingDecision> _decisions = [];
    private readonly bool[] _groupPreemptible;
    private readonly NodeIndex? _nodeIndex;
    private readonly NodeState[] _nodes;
    private PodLabelIndex? _podLabels;

    internal Session(ClusterSnapshot snapshot, SchedulerConfiguration configuration, PluginPipeline plugins)
    {
        Snapshot = snapshot;
        Configuration = configuration;
        Plugins = plugins;
        Now = snapshot.Now;

        _nodes = new NodeState[snapshot.Nodes.Count];
        for (var n = 0; n < _nodes.Length; n++)
        {
            _nodes[n] = new NodeState(snapshot.Nodes[n], n);
            if (_nodes[n].Node.IsSchedulable)
            {
                SchedulableFree += _nodes[n].Free;
            }
        }

        Gangs = new GangBook(snapshot);
        Queues = new QueueLedger(snapshot);
        Explanations = new ExplanationBook(this);
        Quantum = new AllocationQuantum(this);

        _groupPreemptible = snapshot.Groups.Select(g => g.Preemptible).ToArray();
        var pods = snapshot.Pods;
        _podStatus = new PodStatus[pods.Count];
        _podNode = new int[pods.Count];
        _podVirtual = new bool[pods.Count];
        for (var p = 0; p < pods.Count; p++)
        {
            _podStatus[p] = PodStatus.Unknown;
            _podNode[p] = -1;
            Apply(p, pods[p].Status, snapshot.NodeOf(p), isVirtual: false);
        }

        AccountRequests();
        _nodeIndex = new NodeIndex(this, plugins.ScoreTiers.ClassTiers);
        FeasibilityCache = new StaticFeasibilityCache(this);
    }

    public ClusterSnapshot Snapshot { get; }

    public SchedulerConfiguration Configuration { get; }

    public DateTimeOffset Now { get; }

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

    internal StaticFeasibilityCache FeasibilityCache { get; }

    /// <summary>Pods on nodes by label, for inter-pod affinity; built on first use, then kept current.</summary>
    public PodLabelIndex PodLabels => _podLabels ??= new PodLabelIndex(this);

    /// <summary>Whether anything needed <see cref="PodLabels"/> yet (pods without affinity never build it).</summary>
    internal bool HasPodLabelIndex => _podLabels is not null;

    /// <summary>Decisions of committed statements, in commit order.</summary>
    public IReadOnlyList<SchedulingDecision> Decisions => _decisions;

    public PodStatus StatusOf(int pod) => _podStatus[pod];

    /// <summary>Node index of the pod in this session, or -1.</summary>
    public int NodeOf(int pod) => _podNode[pod];

    /// <summary>Whether the pod's status was set by this session (not read from the cluster).</summary>
    public bool IsVirtual(int pod) => _podVirtual[pod];

    public bool IsPreemptible(int group) => _groupPreemptible[group];

    public ResourceVector RequestOf(int pod) => Snapshot.Pods[pod].Request;

    /// <summary>Opens a statement for <paramref name="action"/>: a transaction over this session's state whose decisions are attributed to that action.</summary>
    public Statement Begin(ActionKind action) => new(this, action);

    /// <summary>How many statements have committed; the committed state changes only when this does.</summary>
    public int CommitCount { get; private set; }

    /// <summary>Groups whose pods committed statements changed, in commit order (caches catch up from here).</summary>
    internal List<int> TouchedGroups { get; } = [];

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
    }

    /// <summary>The single place where a pod's status and node change; keeps every book consistent.</summary>
    internal void Apply(int pod, PodStatus status, int node, bool isVirtual)
    {
        var before = _podStatus[pod];
        var beforeNode = _podNode[pod];
        var request = Snapshot.Pods[pod].Request;

        if (before.IsActiveUsed() && beforeNode >= 0)
        {
            var state = _nodes[beforeNode];
            var freeBefore = state.Free;
            state.Remove(pod, request, before);
            OnFreeChanged(state, freeBefore);
            _nodeIndex?.Update(beforeNode);
        }

        if (status.IsActiveUsed() && node >= 0)
        {
            var state = _nodes[node];
            var freeBefore = state.Free;
            state.Add(pod, request, status);
            OnFreeChanged(state, freeBefore);
            _nodeIndex?.Update(node);
        }

        _podStatus[pod] = status;
        _podNode[pod] = status is PodStatus.Pending or PodStatus.Gated ? -1 : node;
        _podVirtual[pod] = isVirtual;
        _podLabels?.OnMoved(pod, before.IsActiveUsed() ? beforeNode : -1, status.IsActiveUsed() ? node : -1);

        Gangs.OnStatusChanged(pod, before, status);

        var group = Snapshot.GroupOf(pod);
        var queue = group >= 0 ? Snapshot.QueueOf(group) : -1;
        if (queue >= 0 && before.IsActiveAllocated() != status.IsActiveAllocated())
        {
            var nonPreemptible = !_groupPreemptible[group];
            if (status.IsActiveAllocated())
            {
                Queues.AddAllocated(queue, request, nonPreemptible);
            }
            else
            {
                Queues.SubtractAllocated(queue, request, nonPreemptible);
            }
        }
    }

    /// <summary>Idle plus releasing capacity summed over schedulable nodes; kept live.</summary>
    public ResourceVector SchedulableFree { get; private set; }

    private void OnFreeChanged(NodeState node, in ResourceVector before)
    {
        if (node.Node.IsSchedulable)
        {
            SchedulableFree += node.Free - before;
        }
    }

    private void AccountRequests()
    {
        for (var p = 0; p < _podStatus.Length; p++)
        {
            var group = Snapshot.GroupOf(p);
            var queue = group >= 0 ? Snapshot.QueueOf(group) : -1;
            if (queue >= 0 && (_podStatus[p].IsActiveAllocated() || _podStatus[p] == PodStatus.Pending))
            {
                Queues.AddRequested(queue, Snapshot.Pods[p].Request);
            }
        }

        // The shared total: allocatable of usable nodes, minus what pods of other schedulers hold there.
        var total = ResourceVector.Zero;
        foreach (var node in _nodes)
        {
            if (node.Node.IsSchedulable && !node.Node.UnderPressure)
            {
                total += node.Node.Allocatable.QueueResources;
            }
        }

        for (var p = 0; p < _podStatus.Length; p++)
        {
            var node = _podNode[p];
            if (node >= 0 && !Snapshot.Pods[p].IsScheduledByUs && _podStatus[p].IsActiveAllocated()
                && _nodes[node].Node.IsSchedulable && !_nodes[node].Node.UnderPressure)
            {
                total -= Snapshot.Pods[p].Request.QueueResources;
            }
        }

        Queues.Total = total;
    }
}
