using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>
/// What the backend knows of one kind: the objects its reflector observed (list, then watch) and, on top, the
/// results of this process's own writes that the watch has not delivered yet (read-your-writes). Guarded by the
/// cluster's lock.
/// </summary>
internal sealed class KindCache(KindInfo kind)
{
    /// <summary>
    /// Deletions remembered after the watch showed them: a write's answer can arrive after the watch has delivered
    /// the object's deletion (the server sends the event before the response), and a write older than that deletion
    /// must not bring the object back. Writes in flight are few, so the last few thousand deletions are plenty.
    /// </summary>
    private const int GoneCapacity = 4096;

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<ObjectKey, string?> _gone = [];
    private readonly Queue<ObjectKey> _goneOrder = new();

    public KindInfo Kind { get; } = kind;

    /// <summary>As the server last showed them through list and watch; feeds are built from these only.</summary>
    public Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>> Observed { get; } = [];

    /// <summary>Our writes newer than what was observed: the stored object, or a tombstone (null) for a removal.</summary>
    public Dictionary<ObjectKey, Written> Written { get; } = [];

    /// <summary>The latest resource version seen for this kind (list, event or bookmark).</summary>
    public string ResourceVersion { get; set; } = "0";

    /// <summary>Completes after the first list (or after the kind turned out not to be served).</summary>
    public Task Synced => _synced.Task;

    public bool IsSynced => _synced.Task.IsCompleted;

    public void MarkSynced() => _synced.TrySetResult();

    /// <summary>The newest known version of an object: our write if the watch has not caught up with it, else what was observed.</summary>
    public IKubernetesObject<V1ObjectMeta>? Read(ObjectKey key)
    {
        Observed.TryGetValue(key, out var observed);
        return Written.TryGetValue(key, out var written) && written.Supersedes(observed) ? written.Object : observed;
    }

    /// <summary>Every object as <see cref="Read"/> sees it.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> ReadAll()
    {
        var items = new List<IKubernetesObject<V1ObjectMeta>>(Observed.Count + Written.Count);
        foreach (var (key, observed) in Observed)
        {
            if (Written.TryGetValue(key, out var written) && written.Supersedes(observed))
            {
                if (written.Object is not null)
                {
                    items.Add(written.Object);
                }
            }
            else
            {
                items.Add(observed);
            }
        }

        foreach (var (key, written) in Written)
        {
            if (written.Object is not null && !Observed.ContainsKey(key))
            {
                items.Add(written.Object);
            }
        }

        return items;
    }

    /// <summary>
    /// Remembers a write's result (null: the write removed the object) until the watch shows that version or a newer
    /// one. A write older than what was observed is ignored.
    /// </summary>
    public void RecordWrite(ObjectKey key, IKubernetesObject<V1ObjectMeta>? obj, string? resourceVersion)
    {
        var written = new Written(obj, resourceVersion);
        if (Observed.TryGetValue(key, out var observed) ? !written.Supersedes(observed) : WasDeletedSince(key, resourceVersion))
        {
            return;
        }

        if (Written.TryGetValue(key, out var previous) && ResourceVersions.IsNewer(previous.ResourceVersion, resourceVersion))
        {
            return;
        }

        Written[key] = written;
    }

    /// <summary>Forgets our write once the watch shows a version at least as new.</summary>
    public void Observe(ObjectKey key, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (Written.TryGetValue(key, out var written) && !written.Supersedes(obj))
        {
            Written.Remove(key);
        }
    }

    /// <summary>Forgets our write once the watch (or a relist at <paramref name="resourceVersion"/>) shows the object gone.</summary>
    public void ObserveGone(ObjectKey key, string? resourceVersion)
    {
        if (Written.TryGetValue(key, out var written) && !ResourceVersions.IsNewer(written.ResourceVersion, resourceVersion))
        {
            Written.Remove(key);
        }

        if (!_gone.ContainsKey(key))
        {
            _goneOrder.Enqueue(key);
            if (_goneOrder.Count > GoneCapacity)
            {
                _gone.Remove(_goneOrder.Dequeue());
            }
        }

        _gone[key] = resourceVersion;
    }

    // True when the watch showed the object deleted at or after the version of a write (so the write is history).
    private bool WasDeletedSince(ObjectKey key, string? resourceVersion) =>
        _gone.TryGetValue(key, out var deleted) && !ResourceVersions.IsNewer(resourceVersion, deleted);
}

/// <summary>The result of one of our writes: the object, or null (a tombstone) when the write removed it.</summary>
internal readonly record struct Written(IKubernetesObject<V1ObjectMeta>? Object, string? ResourceVersion)
{
    /// <summary>
    /// True when this write is newer than <paramref name="observed"/>: a stored object must have a larger resource
    /// version; a tombstone hides every observed version up to its own (a delete answers with the last version).
    /// </summary>
    public bool Supersedes(IKubernetesObject<V1ObjectMeta>? observed)
    {
        if (observed is null)
        {
            return true;
        }

        var observedVersion = observed.Metadata.ResourceVersion;
        return Object is null
            ? !ResourceVersions.IsNewer(observedVersion, ResourceVersion)
            : ResourceVersions.IsNewer(ResourceVersion, observedVersion);
    }
}
