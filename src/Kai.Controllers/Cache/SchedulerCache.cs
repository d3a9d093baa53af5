using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Dra;
using Kai.Controllers.Mapping;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using EngineNode = Kai.Scheduling.Model.Node;
using EnginePod = Kai.Scheduling.Model.Pod;
using EnginePodGroup = Kai.Scheduling.Model.PodGroup;
using EngineQueue = Kai.Scheduling.Model.Queue;
using EngineTopology = Kai.Scheduling.Model.Topology;
using NodeName = Kai.Scheduling.Model.NodeName;
using PodGroupKey = Kai.Scheduling.Model.PodGroupKey;
using PodKey = Kai.Scheduling.Model.PodKey;
using QueueKey = Kai.Scheduling.Model.QueueKey;

namespace Kai.Controllers.Cache;

/// <summary>
/// The scheduler's view of the cluster, kept up to date from a change feed: every object is mapped to the
/// engine's model once per change, so building a cycle's <see cref="ClusterState"/> copies references and
/// parses nothing.
/// </summary>
/// <remarks>
/// Call <see cref="Sync"/> at the start of a cycle: it applies every change already delivered, without
/// waiting. Mapping problems (invalid quantities, unknown priority classes) are kept per object in
/// <see cref="Issues"/> and logged as warnings when the object is mapped; the object is still mapped as well
/// as it can be.
/// </remarks>
public sealed partial class SchedulerCache : IDisposable
{
    private readonly IChangeFeed _feed;
    private readonly ResourceCatalog _catalog = new();
    private readonly PriorityClassBook _priorities = new();
    // Nodes and pod groups are kept in the snapshot's order (by name; by namespace, then name), so that building a
    // snapshot checks the order instead of sorting tens of thousands of objects every cycle.
    private readonly SortedDictionary<NodeName, EngineNode> _nodes = new(Comparer<NodeName>.Create(static (a, b) => string.CompareOrdinal(a.Value, b.Value)));
    private readonly Dictionary<NodeName, V1Node> _rawNodes = [];
    private readonly DraInventory _dra = new();
    private readonly HashSet<PodKey> _podsWithClaims = [];
    private readonly Dictionary<PodKey, CachedPod> _pods = [];
    private readonly Dictionary<PodKey, (string Node, IReadOnlyList<string> GpuGroups)> _bindRequestNodes = [];
    private readonly SortedDictionary<PodGroupKey, (PodGroup Raw, EnginePodGroup Mapped)> _groups = new(Comparer<PodGroupKey>.Create(static (a, b) =>
        string.CompareOrdinal(a.Namespace, b.Namespace) is var ns and not 0 ? ns : string.CompareOrdinal(a.Name, b.Name)));
    private readonly Dictionary<QueueKey, EngineQueue> _queues = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineTopology> _topologies = new(StringComparer.Ordinal);
    private readonly Dictionary<IssueKey, List<MappingIssue>> _issues = [];
    private readonly List<MappingIssue> _scratchIssues = [];
    private int[] _previousIndexA = [];
    private int[] _previousIndexB = [];
    private int _previousIndexTurn;

    private readonly ILogger _logger;

    private SchedulerCache(IChangeFeed feed, ILogger logger)
    {
        _feed = feed;
        _logger = logger;
    }

    /// <summary>The kinds the scheduler watches.</summary>
    public static IReadOnlyList<KindKey> WatchedKinds { get; } =
    [
        KindKey.Of<V1Node>(), KindKey.Of<V1Pod>(), KindKey.Of<V1PriorityClass>(),
        KindKey.Of<Queue>(), KindKey.Of<PodGroup>(), KindKey.Of<BindRequest>(), KindKey.Of<Topology>(), KindKey.Of<V1Namespace>(),
        KindKey.Of<V1DeviceClass>(), KindKey.Of<V1ResourceSlice>(), KindKey.Of<Resourcev1ResourceClaim>(), KindKey.Of<V1ResourceClaimTemplate>(),
    ];

    /// <summary>
    /// Whether a pod write that changes nothing the engine reads keeps the pod's mapped object (and so its place in the
    /// next snapshot's carried-over links) instead of making an equal copy. Same model either way; kept switchable for
    /// the property test that compares the two.
    /// </summary>
    internal bool KeepsUnchangedMappings { get; set; } = true;

    /// <summary>Mapping problems of the objects currently in the cache.</summary>
    public IEnumerable<MappingIssue> Issues => _issues.Values.SelectMany(i => i);

    public static ValueTask<SchedulerCache> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, NullLogger.Instance, cancellationToken);

    /// <summary>A cache that logs mapping problems to <paramref name="logger"/>.</summary>
    public static async ValueTask<SchedulerCache> CreateAsync(ICluster cluster, ILogger logger, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { Kinds = WatchedKinds }, cancellationToken).ConfigureAwait(false);
        var cache = new SchedulerCache(feed, logger);
        cache.Sync();
        return cache;
    }

    /// <summary>Applies every change delivered so far.</summary>
    public int Sync()
    {
        var applied = 0;
        while (_feed.Changes.TryRead(out var change))
        {
            Apply(change);
            applied++;
        }

        return applied;
    }

    /// <summary>
    /// The engine's input for a cycle at <paramref name="now"/>; it says where each unchanged pod stood in the
    /// previous state built (<see cref="ClusterState.PreviousPodIndex"/>) and that nodes and groups are in order.
    /// </summary>
    public ClusterState BuildState(DateTimeOffset now)
    {
        // The walk of the pod dictionary and that of the sorted group tree read apart (each 4–6 ms at 140,000 pods):
        // on two cores when there are many pods. Only the pod walk writes (each entry's index), and only its entries.
        EnginePod[] walked = [];
        ArraySegment<int> previousIndex = default;
        EnginePodGroup[] groups = [];
        Split.Both(_pods.Count, () => walked = WalkPods(out previousIndex), () => groups = GroupsInOrder());
        var pods = ResolveClaims(walked);

        // Handed over as immutable: the snapshot takes the array as it is instead of copying 100,000s of references.
        return new ClusterState([.. _nodes.Values], ImmutableCollectionsMarshal.AsImmutableArray(pods), groups, [.. _queues.Values], now, _catalog)
        {
            NamespaceLabels = new Dictionary<string, IReadOnlyDictionary<string, string>>(_namespaceLabels, StringComparer.Ordinal),
            Topologies = [.. _topologies.Values],
            PreviousPodIndex = previousIndex,
            InSnapshotOrder = true,
        };
    }

    private EnginePodGroup[] GroupsInOrder()
    {
        var groups = new EnginePodGroup[_groups.Count];
        var i = 0;
        foreach (var entry in _groups.Values)
        {
            groups[i++] = entry.Mapped;
        }

        return groups;
    }

    /// <summary>
    /// How <see cref="BuildState"/> uses the second core (<see cref="CoreSplit.Default"/>); the state is the same whatever
    /// the split. Kept switchable for the property test that compares.
    /// </summary>
    internal CoreSplit Split { get; set; } = CoreSplit.Default;

    /// <summary>Every pod as mapped, in the dictionary's order; each entry learns its index (the next state's <see cref="ClusterState.PreviousPodIndex"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EnginePod[] WalkPods(out ArraySegment<int> previousIndex)
    {
        var pods = new EnginePod[_pods.Count];
        previousIndex = NextPreviousIndexBuffer(pods.Length);
        var i = 0;
        foreach (var entry in _pods.Values)
        {
            previousIndex[i] = entry.BuiltAt;
            entry.BuiltAt = i;
            pods[i++] = entry.Mapped;
        }

        return pods;
    }

    /// <summary>The walked pods with the DRA claims of the pods that have any resolved for this cycle.</summary>
    private EnginePod[] ResolveClaims(EnginePod[] pods)
    {
        if (_podsWithClaims.Count == 0)
        {
            return pods;
        }

        var claimants = _podsWithClaims.Where(_pods.ContainsKey).Select(k => _pods[k]).ToList();
        var resolved = ClaimResolver.Resolve([.. claimants.Select(c => (c.Raw, c.Mapped))], _dra, QueueOf).ToList();
        for (var c = 0; c < claimants.Count; c++)
        {
            pods[claimants[c].BuiltAt] = resolved[c];
        }

        return pods;
    }

    /// <summary>
    /// Where the pods stood in the previous state, written into one of two buffers in turn instead of a new per-pod
    /// array each cycle: a state's indices stay as they were until the state after next is built, and a wrong index
    /// would cost only time (the builder checks the pod's reference).
    /// </summary>
    private ArraySegment<int> NextPreviousIndexBuffer(int pods)
    {
        _previousIndexTurn ^= 1;
        ref var buffer = ref _previousIndexTurn == 0 ? ref _previousIndexA : ref _previousIndexB;
        if (buffer.Length < pods)
        {
            // Some room to grow, so that a cluster that gains a few pods per cycle does not allocate every cycle.
            buffer = new int[pods + (pods / 16)];
        }

        return new ArraySegment<int>(buffer, 0, pods);
    }

    /// <summary>The queue of a pod's job: its pod group's queue, else its queue label.</summary>
    private string? QueueOf(V1Pod raw, EnginePod pod) =>
        pod.GroupName is { } group && _groups.TryGetValue(new PodGroupKey(pod.Namespace, group), out var entry) && entry.Raw.Spec?.Queue is { Length: > 0 } queue
            ? queue
            : (raw.Metadata.Labels is { } labels && labels.TryGetValue(Conventions.KaiConventions.QueueLabel, out var label) ? label : null);

    public void Dispose() => _feed.Dispose();

    private void Apply(ClusterChange change)
    {
        var deleted = change.Type == ChangeType.Deleted;
        switch (change.Object)
        {
            case V1Node node:
                ApplyNode(node, deleted);
                break;
            case V1Pod pod:
                ApplyPod(pod, deleted);
                break;
            case BindRequest bindRequest:
                _dra.SetBindRequest(bindRequest, deleted);
                ApplyBindRequest(bindRequest, deleted);
                break;
            case PodGroup group:
                ApplyPodGroup(group, deleted);
                break;
            case Queue queue:
                ApplyQueue(queue, deleted);
                break;
            case V1PriorityClass priorityClass:
                ApplyPriorityClass(priorityClass, deleted);
                break;
            case Topology topology:
                ApplyTopology(topology, deleted);
                break;
            case V1Namespace ns:
                ApplyNamespace(ns, deleted);
                break;
            case V1DeviceClass deviceClass:
                _dra.SetClass(deviceClass, deleted);
                break;
            case Resourcev1ResourceClaim claim:
                _dra.SetClaim(claim, deleted);
                break;
            case V1ResourceClaimTemplate template:
                _dra.SetTemplate(template, deleted);
                break;
            case V1ResourceSlice slice:
                RemapNodes(_dra.SetSlice(slice, deleted));
                break;
        }
    }

    private void ApplyNode(V1Node node, bool deleted)
    {
        var key = new NodeName(node.Metadata.Name);
        var issues = new IssueKey("Node", key.Value);
        if (deleted)
        {
            _nodes.Remove(key);
            _rawNodes.Remove(key);
            _issues.Remove(issues);
        }
        else
        {
            _rawNodes[key] = node;
            var (gpus, _) = _dra.DevicesOn(key.Value);
            var list = ScratchIssues();
            var mapped = NodeMapper.Map(node, _catalog, list, gpus, _dra.DeviceListOn(key.Value));

            // Most node writes are the kubelet's status updates that only move heartbeat times: the engine reads
            // none of that, so the node keeps its mapped object and the next snapshot carries its books over.
            _nodes[key] = _nodes.TryGetValue(key, out var previous) && EngineNodeEquality.Same(previous, mapped) ? previous : mapped;
            Report(issues, list);
        }
    }

    /// <summary>Maps nodes again after their ResourceSlices changed (null: every node).</summary>
    private void RemapNodes(IReadOnlyList<string>? names)
    {
        foreach (var name in names ?? [.. _rawNodes.Keys.Select(k => k.Value)])
        {
            if (_rawNodes.TryGetValue(new NodeName(name), out var node))
            {
                ApplyNode(node, deleted: false);
            }
        }
    }

    private void ApplyPod(V1Pod pod, bool deleted)
    {
        var key = KeyOf(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        if (deleted)
        {
            _pods.Remove(key);
            _podsWithClaims.Remove(key);
            _issues.Remove(new IssueKey("Pod", key.ToString()));
        }
        else
        {
            MapPod(key, pod);
            if (pod.Spec?.ResourceClaims is { Count: > 0 })
            {
                _podsWithClaims.Add(key);
            }
            else
            {
                _podsWithClaims.Remove(key);
            }
        }
    }

    private void ApplyPodGroup(PodGroup group, bool deleted)
    {
        var key = new PodGroupKey(group.Metadata.NamespaceProperty ?? DefaultNamespace, group.Metadata.Name);
        var issues = new IssueKey("PodGroup", key.ToString());
        if (deleted)
        {
            _groups.Remove(key);
            _issues.Remove(issues);
        }
        else
        {
            var list = ScratchIssues();
            _groups[key] = (group, PodGroupMapper.Map(group, _priorities, list));
            Report(issues, list);
        }
    }

    private void ApplyQueue(Queue queue, bool deleted)
    {
        var key = new QueueKey(queue.Metadata.Name);
        var issues = new IssueKey("Queue", key.Name);
        if (deleted)
        {
            _queues.Remove(key);
            _issues.Remove(issues);
        }
        else
        {
            var list = ScratchIssues();
            _queues[key] = QueueMapper.Map(queue, list);
            Report(issues, list);
        }
    }

    private void ApplyTopology(Topology topology, bool deleted)
    {
        var name = topology.Metadata.Name;
        var issues = new IssueKey("Topology", name);
        if (deleted)
        {
            _topologies.Remove(name);
            _issues.Remove(issues);
        }
        else
        {
            var list = ScratchIssues();
            _topologies[name] = TopologyMapper.Map(topology, list);
            Report(issues, list);
        }
    }

    private void ApplyPriorityClass(V1PriorityClass priorityClass, bool deleted)
    {
        if (deleted)
        {
            _priorities.Remove(priorityClass.Metadata.Name);
        }
        else
        {
            _priorities.Set(priorityClass);
        }

        // Priorities of pod groups depend on the classes; classes change rarely, so re-map them all.
        foreach (var (key, entry) in _groups.ToList())
        {
            var issueKey = new IssueKey("PodGroup", key.ToString());
            var list = ScratchIssues();
            _groups[key] = (entry.Raw, PodGroupMapper.Map(entry.Raw, _priorities, list));
            Report(issueKey, list);
        }
    }

    /// <summary>Namespace labels, for affinity terms that select namespaces by label.</summary>
    private void ApplyNamespace(V1Namespace ns, bool deleted)
    {
        if (deleted)
        {
            _namespaceLabels.Remove(ns.Metadata.Name);
            return;
        }

        // Kubernetes labels every namespace with its own name.
        var labels = new Dictionary<string, string>(ns.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Kai.Scheduling.Snapshots.ClusterSnapshot.NamespaceNameLabel] = ns.Metadata.Name,
        };
        _namespaceLabels[ns.Metadata.Name] = labels;
    }

    private void ApplyBindRequest(BindRequest bindRequest, bool deleted)
    {
        var podName = bindRequest.Spec?.PodName ?? bindRequest.Metadata.Name;
        var podKey = KeyOf(bindRequest.Metadata.NamespaceProperty, podName);
        if (!deleted && PodMapper.LiveNodeOf(bindRequest) is { } node)
        {
            _bindRequestNodes[podKey] = (node, PodMapper.LiveGroupsOf(bindRequest));
        }
        else
        {
            _bindRequestNodes.Remove(podKey);
        }

        if (_pods.TryGetValue(podKey, out var pod))
        {
            MapPod(podKey, pod.Raw);
        }
    }

    private void MapPod(PodKey key, V1Pod pod)
    {
        var (bindNode, bindGroups) = _bindRequestNodes.TryGetValue(key, out var binding) ? binding : (null, null);

        // Most pod writes change only status (phase, conditions) or its bind request: the spec, labels and
        // annotations are the same instances, so the parsed request and constraints are kept.
        if (_pods.TryGetValue(key, out var previous)
            && ReferenceEquals(previous.Raw.Spec, pod.Spec)
            && ReferenceEquals(previous.Raw.Metadata.Labels, pod.Metadata.Labels)
            && ReferenceEquals(previous.Raw.Metadata.Annotations, pod.Metadata.Annotations))
        {
            MapStatus(key, previous, pod, bindNode, bindGroups);
            return;
        }

        var issueKey = new IssueKey("Pod", key.ToString());
        var issues = ScratchIssues();
        _pods[key] = new CachedPod(pod, PodMapper.Map(pod, bindNode, _catalog, issues, bindGroups));
        Report(issueKey, issues);
    }

    /// <summary>
    /// A pod whose spec, labels and annotations are the instances mapped before: only its status, node, nominated node
    /// and GPU groups are read again. When none of them changed (a condition written, a bind request's status, the
    /// binder's acknowledgement), the entry keeps its mapped pod and where it stood in the last state built, so the next
    /// snapshot carries the pod's links over instead of linking it again (<see cref="KeepsUnchangedMappings"/>).
    /// </summary>
    private void MapStatus(PodKey key, CachedPod previous, V1Pod pod, string? bindNode, IReadOnlyList<string>? bindGroups)
    {
        var mapped = previous.Mapped;
        var status = PodMapper.StatusOf(pod, bindNode);
        var node = PodMapper.NodeOf(pod, bindNode);
        var nominated = PodMapper.NominatedNodeOf(pod);
        var gpuGroups = bindGroups is { Count: > 0 } && string.IsNullOrEmpty(pod.Spec?.NodeName) ? bindGroups : GpuGroupLabels.Read(pod.Metadata.Labels);
        if (KeepsUnchangedMappings
            && status == mapped.Status
            && string.Equals(node, mapped.NodeName, StringComparison.Ordinal)
            && string.Equals(nominated, mapped.NominatedNodeName, StringComparison.Ordinal)
            && SameGroups(gpuGroups, mapped.GpuGroups))
        {
            previous.Raw = pod;
            return;
        }

        _pods[key] = new CachedPod(pod, mapped with { Status = status, NodeName = node, NominatedNodeName = nominated, GpuGroups = gpuGroups });
    }

    private static bool SameGroups(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps what mapping an object found wrong with it (only objects with issues are kept) and logs it.</summary>
    private void Report(IssueKey key, List<MappingIssue> issues)
    {
        if (issues.Count == 0)
        {
            if (_issues.Count > 0)
            {
                _issues.Remove(key);
            }

            return;
        }

        _issues[key] = [.. issues];
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            foreach (var issue in issues)
            {
                LogMappingIssue(_logger, issue.ObjectRef, issue.Message);
            }
        }
    }

    /// <summary>
    /// A list for the issues of mapping one object, passed to <see cref="Report"/> after: one reused list, since
    /// almost every object maps without issue (keeping an empty list per object cost a dictionary entry each).
    /// </summary>
    private List<MappingIssue> ScratchIssues()
    {
        _scratchIssues.Clear();
        return _scratchIssues;
    }

    /// <summary>Objects without a namespace live in the default one, as the API server puts them.</summary>
    private const string DefaultNamespace = "default";

    private static PodKey KeyOf(string? @namespace, string name) => new(@namespace ?? DefaultNamespace, name);

    /// <summary>Which object a list of mapping issues belongs to.</summary>
    private readonly record struct IssueKey(string Kind, string Object);
}
