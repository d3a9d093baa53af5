using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Mapping;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using EngineNode = Kai.Scheduling.Model.Node;
using EnginePod = Kai.Scheduling.Model.Pod;
using EnginePodGroup = Kai.Scheduling.Model.PodGroup;
using EngineQueue = Kai.Scheduling.Model.Queue;

namespace Kai.Controllers.Cache;

/// <summary>
/// The scheduler's view of the cluster, kept up to date from a change feed: every object is mapped to the
/// engine's model once per change, so building a cycle's <see cref="ClusterState"/> copies references and
/// parses nothing.
/// </summary>
/// <remarks>
/// Call <see cref="Sync"/> at the start of a cycle: it applies every change already delivered, without
/// waiting. Mapping problems (invalid quantities, unknown priority classes) are kept per object in
/// <see cref="Issues"/>; the object is still mapped as well as it can be.
/// </remarks>
public sealed class SchedulerCache : IDisposable
{
    private readonly IChangeFeed _feed;
    private readonly ResourceCatalog _catalog = new();
    private readonly PriorityClassBook _priorities = new();
    private readonly Dictionary<string, EngineNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (V1Pod Raw, EnginePod Mapped)> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bindRequestNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PodGroup Raw, EnginePodGroup Mapped)> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EngineQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MappingIssue>> _issues = new(StringComparer.Ordinal);

    private SchedulerCache(IChangeFeed feed) => _feed = feed;

    /// <summary>The kinds the scheduler watches.</summary>
    public static IReadOnlyList<KindKey> WatchedKinds { get; } =
    [
        KindKey.Of<V1Node>(), KindKey.Of<V1Pod>(), KindKey.Of<V1PriorityClass>(),
        KindKey.Of<Queue>(), KindKey.Of<PodGroup>(), KindKey.Of<BindRequest>(),
    ];

    /// <summary>Mapping problems of the objects currently in the cache.</summary>
    public IEnumerable<MappingIssue> Issues => _issues.Values.SelectMany(i => i);

    public static async ValueTask<SchedulerCache> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { Kinds = WatchedKinds }, cancellationToken).ConfigureAwait(false);
        var cache = new SchedulerCache(feed);
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

    /// <summary>The engine's input for a cycle at <paramref name="now"/>.</summary>
    public ClusterState BuildState(DateTimeOffset now) => new(
        [.. _nodes.Values],
        _pods.Values.Select(p => p.Mapped).ToArray(),
        _groups.Values.Select(g => g.Mapped).ToArray(),
        [.. _queues.Values],
        now,
        _catalog);

    public void Dispose() => _feed.Dispose();

    private void Apply(ClusterChange change)
    {
        var deleted = change.Type == ChangeType.Deleted;
        switch (change.Object)
        {
            case V1Node node:
                var nodeKey = node.Metadata.Name;
                if (deleted)
                {
                    _nodes.Remove(nodeKey);
                    _issues.Remove("Node/" + nodeKey);
                }
                else
                {
                    _nodes[nodeKey] = NodeMapper.Map(node, _catalog, IssuesFor("Node/" + nodeKey));
                }

                break;
            case V1Pod pod:
                var podKey = Key(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                if (deleted)
                {
                    _pods.Remove(podKey);
                    _issues.Remove("Pod/" + podKey);
                }
                else
                {
                    MapPod(podKey, pod);
                }

                break;
            case BindRequest bindRequest:
                ApplyBindRequest(bindRequest, deleted);
                break;
            case PodGroup group:
                var groupKey = Key(group.Metadata.NamespaceProperty, group.Metadata.Name);
                if (deleted)
                {
                    _groups.Remove(groupKey);
                    _issues.Remove("PodGroup/" + groupKey);
                }
                else
                {
                    _groups[groupKey] = (group, PodGroupMapper.Map(group, _priorities, IssuesFor("PodGroup/" + groupKey)));
                }

                break;
            case Queue queue:
                if (deleted)
                {
                    _queues.Remove(queue.Metadata.Name);
                    _issues.Remove("Queue/" + queue.Metadata.Name);
                }
                else
                {
                    _queues[queue.Metadata.Name] = QueueMapper.Map(queue, IssuesFor("Queue/" + queue.Metadata.Name));
                }

                break;
            case V1PriorityClass priorityClass:
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
                    _groups[key] = (entry.Raw, PodGroupMapper.Map(entry.Raw, _priorities, IssuesFor("PodGroup/" + key)));
                }

                break;
        }
    }

    private void ApplyBindRequest(BindRequest bindRequest, bool deleted)
    {
        var podName = bindRequest.Spec?.PodName ?? bindRequest.Metadata.Name;
        var podKey = Key(bindRequest.Metadata.NamespaceProperty, podName);
        if (!deleted && PodMapper.LiveNodeOf(bindRequest) is { } node)
        {
            _bindRequestNodes[podKey] = node;
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

    private void MapPod(string key, V1Pod pod)
    {
        var bindNode = _bindRequestNodes.GetValueOrDefault(key);

        // Most pod writes change only status (phase, conditions) or its bind request: the spec, labels and
        // annotations are the same instances, so the parsed request and constraints are kept.
        if (_pods.TryGetValue(key, out var previous)
            && ReferenceEquals(previous.Raw.Spec, pod.Spec)
            && ReferenceEquals(previous.Raw.Metadata.Labels, pod.Metadata.Labels)
            && ReferenceEquals(previous.Raw.Metadata.Annotations, pod.Metadata.Annotations))
        {
            _pods[key] = (pod, previous.Mapped with
            {
                Status = PodMapper.StatusOf(pod, bindNode),
                NodeName = PodMapper.NodeOf(pod, bindNode),
            });
            return;
        }

        _pods[key] = (pod, PodMapper.Map(pod, bindNode, _catalog, IssuesFor("Pod/" + key)));
    }

    private List<MappingIssue> IssuesFor(string key)
    {
        if (_issues.TryGetValue(key, out var list))
        {
            list.Clear();
        }
        else
        {
            list = [];
            _issues[key] = list;
        }

        return list;
    }

    private static string Key(string? ns, string name) => $"{ns ?? "default"}/{name}";
}
