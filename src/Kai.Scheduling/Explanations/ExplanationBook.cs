using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Explanations;

/// <summary>
/// Collects why pod groups could not be placed during a session and turns them into
/// <see cref="GroupExplanation"/>s at the end. A failure is counted when it is recorded, while the gang's own
/// placements are still in the books, and written out when read. Node-by-node verdicts are kept per pod shape and only the nodes whose books
/// changed since are checked again (<see cref="NodeVerdicts"/>), so many failing pods of one shape cost the nodes
/// that changed, not every node each; when a predicate reads beyond the node (inter-pod affinity, shared claims),
/// breakdowns over committed state are cached per shape and commit instead.
/// </summary>
public sealed partial class ExplanationBook
{
    /// <summary>Pod shapes whose verdicts are kept (one verdict per node each); failures of further shapes count every node.</summary>
    private const int KeptShapes = 256;

    private readonly Session _session;
    private readonly Dictionary<int, Failure> _failures = [];
    private readonly Dictionary<int, List<ActionNote>> _notes = [];
    private readonly Dictionary<(string Signature, ResourceVector Request, GpuRequest Gpu, int Commits), NodeBreakdown> _breakdowns = [];
    private readonly Dictionary<(string Signature, ResourceVector Request, GpuRequest Gpu), NodeVerdicts> _verdicts = [];
    private readonly Dictionary<ResourceName, PluginStatus> _insufficient = [];
    private ResourceVector? _largestAllocatable;

    internal ExplanationBook(Session session) => _session = session;

    /// <summary>The group's queue refused the request (limit or non-preemptible quota): the capacity plugin's verdict.</summary>
    public void RecordCapacity(int group, in PluginStatus status) =>
        _failures[group] = new Failure(status.ExplanationReason ?? GroupExplanation.Unschedulable, status.Reason ?? status.Code.ToString());

    /// <summary>
    /// A pod of the group found no node after <paramref name="placed"/> of <paramref name="wanted"/> pods were
    /// placed. Its nodes' verdicts are counted now, while the gang's own placements are still in the books; the message
    /// is written from them when read (<see cref="DescribesUnplacedWhenRead"/>).
    /// </summary>
    public void RecordUnplaced(int group, int pod, int placed, int wanted) => RecordUnplacedIn(group, pod, placed, wanted, null);

    /// <summary>As <see cref="RecordUnplaced(int, int, int, int)"/>, for a pod that found no node in a node set (nodes are counted over the set).</summary>
    public void RecordUnplaced(int group, int pod, int placed, int wanted, NodeSet within) => RecordUnplacedIn(group, pod, placed, wanted, within);

    /// <summary>A node-set plugin found no nodes the group's pods may use together (e.g. no topology domain with room).</summary>
    public void RecordPlacementFailure(int group, in PluginStatus status) =>
        _failures[group] = new Failure(status.ExplanationReason ?? GroupExplanation.Unschedulable, status.Reason ?? status.Code.ToString());

    /// <summary>
    /// Every node set chosen for (part of) the group was tried and none could hold its pods: the failure recorded
    /// in the last one is kept, saying which sets were tried. <paramref name="description"/> names one set, e.g.
    /// "domain of topology 'cluster'".
    /// </summary>
    public void RecordTriedNodeSets(int group, string description, IReadOnlyList<NodeSet> sets)
    {
        const int Named = 5;
        var names = string.Join(", ", sets.Take(Named).Select(s => s.Name)) + (sets.Count > Named ? $" and {sets.Count - Named} more" : string.Empty);
        var known = _failures.TryGetValue(group, out var failure);
        var inner = known ? MessageOf(failure) : "no node fits";
        var tried = sets.Count == 1
            ? $"the only {description} with room is {names}; there, {inner}"
            : $"no {description} with room can hold the pods: tried {sets.Count} ({names}); in the last, {inner}";
        _failures[group] = new Failure(known ? failure.Reason : GroupExplanation.Unschedulable, tried);
    }

    /// <summary>Why a disruptive action could not help the group (appended to its explanation).</summary>
    public void AddNote(int group, ActionKind action, string note)
    {
        if (!_notes.TryGetValue(group, out var notes))
        {
            _notes[group] = notes = [];
        }

        notes.Add(new ActionNote(action, note));
    }

    /// <summary>Explanations for every group that still has pods waiting.</summary>
    public IReadOnlyList<GroupExplanation> Build()
    {
        var result = new List<GroupExplanation>();
        var snapshot = _session.Snapshot;
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            var group = snapshot.Groups[g];
            var members = snapshot.MembersOf(g);
            var waiting = members.Count(p => _session.StatusOf(p) is PodStatus.Pending or PodStatus.Gated && snapshot.Pods[p].IsScheduledByUs);
            if (waiting == 0)
            {
                continue;
            }

            if (snapshot.QueueOf(g) < 0)
            {
                result.Add(new(group.Key, GroupExplanation.QueueDoesNotExist,
                    $"queue '{group.QueueName}' does not exist or is not a leaf queue; create it or set the kai.scheduler/queue label (or spec.queue) to a leaf queue."));
                continue;
            }

            if (UnsupportedMessage(members) is { } unsupported)
            {
                result.Add(new(group.Key, GroupExplanation.Unschedulable, unsupported));
                continue;
            }

            if (NotReadyMessage(g) is { } notReady)
            {
                result.Add(new(group.Key, GroupExplanation.NotReady, notReady));
                continue;
            }

            var hasFailure = _failures.TryGetValue(g, out var failure);

            // Evictions cannot lift a queue limit or quota, so notes from disruptive actions would only distract.
            var capacityBound = hasFailure && failure.Reason is GroupExplanation.OverLimit or GroupExplanation.NonPreemptibleOverQuota;
            var notes = !capacityBound && _notes.TryGetValue(g, out var n) ? n : [];
            if (hasFailure)
            {
                result.Add(new(group.Key, failure.Reason, MessageOf(failure), notes));
            }
            else if (notes.Count > 0)
            {
                result.Add(new(group.Key, GroupExplanation.Unschedulable, string.Join("; ", notes) + ".", notes));
            }
        }

        return result;
    }

    private string? UnsupportedMessage(int[] members)
    {
        foreach (var p in members)
        {
            if (_session.Snapshot.Pods[p].Unsupported is { } why && _session.StatusOf(p) == PodStatus.Pending)
            {
                return $"pod {_session.Snapshot.Pods[p].Key} cannot be scheduled: {why}.";
            }
        }

        return null;
    }

    /// <summary>Null when every pod set has enough live pods to meet its minimum, else KAI's NotReady text.</summary>
    internal string? NotReadyMessage(int group)
    {
        var snapshot = _session.Snapshot;
        var sets = snapshot.PodSetsOf(group);
        foreach (var set in sets)
        {
            var alive = 0;
            var gated = 0;
            foreach (var p in set.Members)
            {
                var status = _session.StatusOf(p);
                alive += status.IsAlive() ? 1 : 0;
                gated += status == PodStatus.Gated ? 1 : 0;
            }

            if (alive - gated < set.MinAvailable)
            {
                var setText = sets.Count > 1 ? $" in sub-group '{set.Name}'" : string.Empty;
                return $"not ready for scheduling: waiting for {set.MinAvailable} pods{setText} (minMember), currently {alive} exist and {gated} are gated.";
            }
        }

        return null;
    }

    /// <param name="pod">The pod that did not fit.</param>
    /// <param name="memoize">
    /// Whether the books hold only committed state (no partial gang), so equal pods get the same answer until
    /// the next commit (used when some predicate reads beyond the node, see <see cref="BreakdownAcrossNodes"/>).
    /// </param>
    /// <param name="within">Count only these nodes (null: all).</param>
    private NodeBreakdown BreakdownFor(int pod, bool memoize, NodeSet? within)
    {
        var request = _session.RequestOf(pod);
        var definition = _session.Snapshot.Pods[pod];
        var shape = (definition.Constraints.Signature, request, definition.Gpu);
        if (within is null && (_verdicts.Count < KeptShapes || _verdicts.ContainsKey(shape)) && _session.Plugins.DynamicChecksAreNodeLocal(_session, pod))
        {
            return KeptBreakdown(pod, request, shape);
        }

        var key = (definition.Constraints.Signature, request, definition.Gpu, _session.CommitCount);
        if (memoize && within is null && _breakdowns.TryGetValue(key, out var known))
        {
            return known;
        }

        var breakdown = BreakdownAcrossNodes(pod, request, within);
        if (memoize && within is null)
        {
            _breakdowns[key] = breakdown;
        }

        return breakdown;
    }

    /// <summary>
    /// The breakdown over all nodes from the verdicts kept for the pod's shape, after checking again the nodes whose
    /// books changed since they were last brought up to date (all nodes the first time, or when the log forgot).
    /// Valid because every verdict of such a pod reads its node only.
    /// </summary>
    private NodeBreakdown KeptBreakdown(int pod, in ResourceVector request, (string Signature, ResourceVector Request, GpuRequest Gpu) shape)
    {
        var nodes = _session.Nodes;
        var log = _session.NodeChanges;
        if (_verdicts.TryGetValue(shape, out var verdicts) && log.TryChangedSince(verdicts.Version, out var changed))
        {
            foreach (var n in changed)
            {
                verdicts.Set(n, Check(pod, request, nodes[n]));
            }
        }
        else
        {
            verdicts = new NodeVerdicts(nodes.Length);
            foreach (var node in nodes)
            {
                verdicts.Set(node.Index, Check(pod, request, node));
            }

            _verdicts[shape] = verdicts;
        }

        verdicts.Version = log.Version;
        var largest = _largestAllocatable ??= LargestAllocatable();
        return new NodeBreakdown(verdicts.Fitting, verdicts.Reasons(), Shortfall(request, largest, nodes.Length));
    }

    /// <summary>Checks the pod against every node (of <paramref name="within"/> when given) as the books are now.</summary>
    private NodeBreakdown BreakdownAcrossNodes(int pod, in ResourceVector request, NodeSet? within)
    {
        var counts = new Dictionary<PluginStatus, int>();
        var fitting = 0;
        var largest = ResourceVector.Zero;
        foreach (var node in _session.Nodes)
        {
            if (within is not null && !within.Contains(node.Index))
            {
                continue;
            }

            largest = largest.Max(node.Node.Allocatable);
            var status = Check(pod, request, node);
            if (status.IsSuccess)
            {
                fitting++;
            }
            else
            {
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
        }

        return new NodeBreakdown(fitting, NodeVerdicts.Sorted(counts), Shortfall(request, largest, within?.Count ?? _session.Nodes.Length));
    }

    private ResourceVector LargestAllocatable()
    {
        var largest = ResourceVector.Zero;
        foreach (var node in _session.Nodes)
        {
            largest = largest.Max(node.Node.Allocatable);
        }

        return largest;
    }

    private string? Shortfall(in ResourceVector request, in ResourceVector largest, int nodes) =>
        request.FirstShortage(largest) is { } missing && nodes > 0
            ? $"no node is large enough, it needs more {missing.ToKubernetesName(_session.Snapshot.Catalog)} than any node has"
            : null;

    /// <summary>"insufficient cpu" and the like, made once per resource (thousands of nodes give the same).</summary>
    private PluginStatus Insufficient(ResourceName shortage)
    {
        if (!_insufficient.TryGetValue(shortage, out var status))
        {
            status = PluginStatus.Unschedulable($"insufficient {shortage.ToKubernetesName(_session.Snapshot.Catalog)}");
            _insufficient[shortage] = status;
        }

        return status;
    }

    /// <summary>Why the pod does not fit the node as things are: static predicates, then resources, then dynamic predicates.</summary>
    private PluginStatus Check(int pod, in ResourceVector request, NodeState node)
    {
        var status = _session.FeasibilityCache.Check(pod, node.Index);
        if (!status.IsSuccess)
        {
            return status;
        }

        if (_session.Snapshot.Pods[pod].Gpu.IsShared)
        {
            return CheckShared(pod, request, node);
        }

        return request.FirstShortage(node.Free) is { } shortage
            ? Insufficient(shortage)
            : _session.Plugins.CheckDynamic(_session, pod, node);
    }

    /// <summary>Why a pod that shares GPUs does not fit the node: its other resources, then its GPUs, pod slots for new groups, then predicates.</summary>
    private PluginStatus CheckShared(int pod, in ResourceVector request, NodeState node)
    {
        if (request.WithGpu(0).FirstShortage(node.Free.WithGpu(0)) is { } shortage)
        {
            return Insufficient(shortage);
        }

        var gpu = _session.Snapshot.Pods[pod].Gpu;
        if (gpu.MemoryOn(node.Node.GpuMemoryMiB) > node.Node.GpuMemoryMiB)
        {
            return PluginStatus.Unresolvable("GPU memory request larger than a GPU of the node");
        }

        if (!SharedGpuFit.FitsFree(_session, pod, node))
        {
            return PluginStatus.Unschedulable($"insufficient {ResourceCatalog.GpuResourceName} (no whole free GPU nor shared GPU with room for the share)");
        }

        if (SharedGpuPlacement.Choose(_session, pod, node, SharedGpuFit.FitsIdle(_session, pod, node)) is { } choice
            && node.Free.Pods < request.Pods + choice.NewGroups)
        {
            return PluginStatus.Unschedulable("too many pods (a new shared GPU needs a pod slot for its reservation pod)");
        }

        return _session.Plugins.CheckDynamic(_session, pod, node);
    }

    internal static string Describe(in ResourceVector request, ResourceCatalog? catalog = null, GpuRequest gpu = default)
    {
        var parts = new List<string>();
        if (request.Gpu > 0)
        {
            parts.Add($"{request.Gpu / (double)ResourceVector.MilliPerGpu:0.##} GPU");
        }

        if (gpu.IsShared)
        {
            parts.Add(gpu.ToString());
        }

        if (request.Cpu > 0)
        {
            parts.Add($"{request.Cpu / 1000.0:0.###} cpu");
        }

        if (request.Memory > 0)
        {
            parts.Add(request.Memory >= 1L << 30 ? $"{request.Memory / (double)(1L << 30):0.##}Gi memory" : $"{request.Memory / (double)(1L << 20):0.##}Mi memory");
        }

        for (var i = 0; i < request.ExtendedCount; i++)
        {
            if (request.Extended(i) > 0)
            {
                parts.Add($"{request.Extended(i)} {catalog?.NameOf(i) ?? $"extended-{i}"}");
            }
        }

        return parts.Count == 0 ? "nothing" : string.Join(", ", parts);
    }

    private sealed record NodeBreakdown(int FittingNodes, List<(PluginStatus Status, int Count)> Reasons, string? LargestNodeShortfall);
}
