using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Controllers.Status;

/// <summary>
/// KAI's queue-controller, on any <see cref="ICluster"/>: keeps every Queue's <c>status.allocated</c>,
/// <c>allocatedNonPreemptible</c> and <c>requested</c> — the sum of its child queues' status and of the
/// <c>status.resourcesStatus</c> of the PodGroups in it (<c>spec.queue</c>) — and <c>childQueues</c>, so a parent's
/// figures are its whole subtree's. Written only when they change.
/// </summary>
/// <remarks>
/// Incremental, as KAI's reconciler is triggered: a PodGroup change marks its queue; a Queue change marks the queue and
/// its parent, so a child's new status flows up the tree within one <see cref="RunOnceAsync"/>.
/// </remarks>
public sealed class QueueStatusController : IDisposable
{
    // A queue tree deeper than this is a parent cycle, which no status can settle.
    private const int MaxPasses = 64;

    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly Dictionary<string, Queue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), PodGroup> _groups = [];
    private readonly Dictionary<string, Dictionary<(string Namespace, string Name), PodGroup>> _groupsByQueue = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _dirty = new(StringComparer.Ordinal);

    private QueueStatusController(ICluster cluster, IChangeFeed feed)
    {
        _cluster = cluster;
        _feed = feed;
    }

    public static async ValueTask<QueueStatusController> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Queue>(), KindKey.Of<PodGroup>()), cancellationToken).ConfigureAwait(false);
        return new QueueStatusController(cluster, feed);
    }

    /// <summary>Brings every affected queue's status up to date, children before their parents.</summary>
    /// <returns>How many Queue statuses were written.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var written = 0;
        Drain();
        for (var pass = 0; pass < MaxPasses && _dirty.Count > 0; pass++)
        {
            foreach (var name in _dirty.ToList())
            {
                _dirty.Remove(name);
                if (_queues.TryGetValue(name, out var queue))
                {
                    written += await UpdateAsync(queue, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }
            }

            Drain();
        }

        return written;
    }

    public void Dispose() => _feed.Dispose();

    /// <summary>The status figures KAI's queue-controller gives <paramref name="queue"/>.</summary>
    internal (ResourceTotals Allocated, ResourceTotals NonPreemptible, ResourceTotals Requested, List<string> Children) Compute(Queue queue)
    {
        var allocated = new ResourceTotals();
        var nonPreemptible = new ResourceTotals();
        var requested = new ResourceTotals();
        var children = _queues.Values.Where(q => q.Spec?.ParentQueue == queue.Metadata.Name).Select(q => q.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var child in children.Select(c => _queues[c]))
        {
            allocated.Add(child.Status?.Allocated);
            nonPreemptible.Add(child.Status?.AllocatedNonPreemptible);
            requested.Add(child.Status?.Requested);
        }

        IEnumerable<PodGroup> groups = _groupsByQueue.TryGetValue(queue.Metadata.Name, out var inQueue) ? inQueue.Values : [];
        foreach (var group in groups)
        {
            var status = group.Status?.ResourcesStatus;
            allocated.Add(status?.Allocated);
            nonPreemptible.Add(status?.AllocatedNonPreemptible);
            requested.Add(status?.Requested);
        }

        return (allocated, nonPreemptible, requested, children);
    }

    private async ValueTask<bool> UpdateAsync(Queue queue, CancellationToken cancellationToken)
    {
        var (allocated, nonPreemptible, requested, children) = Compute(queue);
        var status = queue.Status;
        if (status is not null
            && ResourceTotals.SameAmounts(status.Allocated, allocated.ToResourceList())
            && ResourceTotals.SameAmounts(status.AllocatedNonPreemptible, nonPreemptible.ToResourceList())
            && ResourceTotals.SameAmounts(status.Requested, requested.ToResourceList())
            && (status.ChildQueues ?? []).SequenceEqual(children, StringComparer.Ordinal))
        {
            return false;
        }

        var updated = KubeObjects.ShallowCopy(queue);
        updated.Status = status is null ? new QueueStatus() : KubeObjects.ShallowCopy(status);
        updated.Status.Allocated = allocated.ToResourceList();
        updated.Status.AllocatedNonPreemptible = nonPreemptible.ToResourceList();
        updated.Status.Requested = requested.ToResourceList();
        updated.Status.ChildQueues = children.Count == 0 ? null : children;
        try
        {
            await _cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
        {
            _dirty.Add(queue.Metadata.Name); // changed meanwhile: done again with its newer version
            return false;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            return false;
        }
    }

    private void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            switch (change.Object)
            {
                case Queue queue:
                    ApplyQueue(queue, change.Type == ChangeType.Deleted);
                    break;
                case PodGroup group:
                    ApplyPodGroup(group, change.Type == ChangeType.Deleted);
                    break;
            }
        }
    }

    /// <summary>Keeps the queue; it, its old parent and its new parent need their status again.</summary>
    private void ApplyQueue(Queue queue, bool deleted)
    {
        var name = queue.Metadata.Name;
        if (_queues.TryGetValue(name, out var before) && before.Spec?.ParentQueue is { Length: > 0 } oldParent)
        {
            _dirty.Add(oldParent);
        }

        if (deleted)
        {
            _queues.Remove(name);
        }
        else
        {
            _queues[name] = queue;
            _dirty.Add(name);
        }

        if (queue.Spec?.ParentQueue is { Length: > 0 } parent)
        {
            _dirty.Add(parent);
        }
    }

    /// <summary>Keeps the pod group under its queue; its old and new queue need their status again.</summary>
    private void ApplyPodGroup(PodGroup group, bool deleted)
    {
        var key = (group.Metadata.NamespaceProperty ?? "default", group.Metadata.Name);
        if (_groups.TryGetValue(key, out var old))
        {
            var oldQueue = old.Spec?.Queue ?? string.Empty;
            _groupsByQueue.GetValueOrDefault(oldQueue)?.Remove(key);
            if (oldQueue.Length > 0)
            {
                _dirty.Add(oldQueue);
            }
        }

        if (deleted)
        {
            _groups.Remove(key);
        }
        else
        {
            _groups[key] = group;
            var queueKey = group.Spec?.Queue ?? string.Empty;
            if (!_groupsByQueue.TryGetValue(queueKey, out var members))
            {
                _groupsByQueue[queueKey] = members = [];
            }

            members[key] = group;
        }

        if (group.Spec?.Queue is { Length: > 0 } queueName)
        {
            _dirty.Add(queueName);
        }
    }
}
