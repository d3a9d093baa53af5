using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Simulation.Workloads;

/// <summary>
/// What the workload controllers know of the cluster, kept current from one change feed (an informer): every
/// watched object by uid, the objects each owner controls, the owners that need reconciling, and the children
/// deleted since their owner last looked. An object is dirty when it or anything below it changed; a
/// controller may also ask to be woken at a time (a deadline, a schedule).
/// </summary>
internal sealed class WorkloadCache : IDisposable
{
    private readonly IChangeFeed _feed;
    private readonly IReadOnlySet<KindKey> _controlled;
    private readonly Dictionary<string, IKubernetesObject<V1ObjectMeta>> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KindKey> _kindOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<IKubernetesObject<V1ObjectMeta>>> _deletedChildren = new(StringComparer.Ordinal);
    private readonly List<string> _dirtyOrder = [];
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTimeOffset At, string Uid)> _wakeUps = [];

    private WorkloadCache(IChangeFeed feed, IReadOnlySet<KindKey> controlled)
    {
        _feed = feed;
        _controlled = controlled;
    }

    public static async ValueTask<WorkloadCache> CreateAsync(ICluster cluster, IReadOnlySet<KindKey> controlled, CancellationToken cancellationToken)
    {
        var kinds = controlled.Append(KindKey.Of<V1Pod>()).Distinct().Where(k => cluster.Kinds.TryGet(k, out _)).ToArray();
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(kinds), cancellationToken).ConfigureAwait(false);
        return new WorkloadCache(feed, controlled);
    }

    public bool HasDirty => _dirty.Count > 0;

    /// <summary>Applies every change that arrived since the last call.</summary>
    public void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            Apply(change);
        }
    }

    /// <summary>Marks the owners whose wake-up time has come dirty.</summary>
    public void WakeUp(DateTimeOffset now)
    {
        while (_wakeUps.Count > 0 && _wakeUps.Min.At <= now)
        {
            var due = _wakeUps.Min;
            _wakeUps.Remove(due);
            MarkDirty(due.Uid);
        }
    }

    /// <summary>The dirty owners in the order they became dirty; the set is emptied.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> TakeDirty()
    {
        var owners = new List<IKubernetesObject<V1ObjectMeta>>(_dirtyOrder.Count);
        foreach (var uid in _dirtyOrder)
        {
            if (_byUid.TryGetValue(uid, out var obj))
            {
                owners.Add(obj);
            }
        }

        _dirtyOrder.Clear();
        _dirty.Clear();
        return owners;
    }

    public void WakeAt(string uid, DateTimeOffset at) => _wakeUps.Add((at, uid));

    public KindKey KindOf(IKubernetesObject<V1ObjectMeta> obj) => _kindOf[obj.Metadata.Uid!];

    /// <summary>The current version of the object with <paramref name="uid"/>, if it exists.</summary>
    public IKubernetesObject<V1ObjectMeta>? Get(string uid) => _byUid.GetValueOrDefault(uid);

    /// <summary>The objects <paramref name="ownerUid"/> controls, in name order.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> ChildrenOf(string ownerUid) =>
        _children.TryGetValue(ownerUid, out var uids) ? uids.Select(u => _byUid[u]).OrderBy(o => o.Metadata.Name, StringComparer.Ordinal) : [];

    /// <summary>Children of <paramref name="ownerUid"/> deleted since the last call, in their final state.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> TakeDeletedChildren(string ownerUid) =>
        _deletedChildren.Remove(ownerUid, out var deleted) ? deleted : [];

    public void Dispose() => _feed.Dispose();

    private void Apply(ClusterChange change)
    {
        var obj = change.Object;
        var uid = obj.Metadata.Uid;
        if (uid is null)
        {
            return;
        }

        var owner = ControllerOf(obj);
        if (change.Type == ChangeType.Deleted)
        {
            _byUid.Remove(uid);
            _kindOf.Remove(uid);
            if (owner is not null)
            {
                if (_children.TryGetValue(owner, out var siblings))
                {
                    siblings.Remove(uid);
                }

                if (!_deletedChildren.TryGetValue(owner, out var deleted))
                {
                    _deletedChildren[owner] = deleted = [];
                }

                deleted.Add(obj);
                MarkChain(owner);
            }

            return;
        }

        if (_byUid.TryGetValue(uid, out var before) && ControllerOf(before) is { } oldOwner && oldOwner != owner && _children.TryGetValue(oldOwner, out var old))
        {
            old.Remove(uid);
        }

        _byUid[uid] = obj;
        _kindOf[uid] = change.Kind;
        if (owner is not null)
        {
            if (!_children.TryGetValue(owner, out var children))
            {
                _children[owner] = children = new SortedSet<string>(StringComparer.Ordinal);
            }

            children.Add(uid);
        }

        MarkChain(uid);
    }

    // The object and every owner above it that a controller handles.
    private void MarkChain(string uid)
    {
        var current = uid;
        for (var depth = 0; depth < 16 && current is not null; depth++)
        {
            MarkDirty(current);
            current = _byUid.TryGetValue(current, out var obj) ? ControllerOf(obj) : null;
        }
    }

    private void MarkDirty(string uid)
    {
        if (_kindOf.TryGetValue(uid, out var kind) && _controlled.Contains(kind) && _dirty.Add(uid))
        {
            _dirtyOrder.Add(uid);
        }
    }

    /// <summary>The uid of the owner that controls <paramref name="obj"/>: its controller reference, else its first owner.</summary>
    public static string? ControllerOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.OwnerReferences is { Count: > 0 } owners
            ? (owners.FirstOrDefault(o => o.Controller == true) ?? owners[0]).Uid
            : null;
}
