using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// Untyped access by <see cref="KindInfo"/>, for callers that handle every kind alike — the Kubernetes REST API
/// served over this cluster. Same semantics as the typed <see cref="ICluster"/> members; expected failures throw
/// <see cref="ClusterException"/> directly instead of faulting a task.
/// </summary>
public sealed partial class EmbeddedCluster : IUntypedReads
{
    /// <summary>All objects of <paramref name="kind"/> across namespaces, in store order, and the current resource version.</summary>
    public ClusterList<IKubernetesObject<V1ObjectMeta>> List(KindInfo kind)
    {
        lock (_lock)
        {
            if (!_stores.TryGetValue(kind, out var store) || store.Objects.Count == 0)
            {
                return new ClusterList<IKubernetesObject<V1ObjectMeta>>([], _resourceVersionText);
            }

            return new ClusterList<IKubernetesObject<V1ObjectMeta>>([.. store.Objects.Values], _resourceVersionText);
        }
    }

    /// <summary>How many objects of <paramref name="kind"/> there are.</summary>
    public int Count(KindInfo kind)
    {
        lock (_lock)
        {
            return _stores.TryGetValue(kind, out var store) ? store.Objects.Count : 0;
        }
    }

    /// <summary>One object, or null. Namespace as in <see cref="GetAsync{T}"/>.</summary>
    public IKubernetesObject<V1ObjectMeta>? Get(KindInfo kind, string? ns, string name)
    {
        lock (_lock)
        {
            return _stores.TryGetValue(kind, out var store) && store.Objects.TryGetValue(KeyFor(kind, ns, name), out var obj) ? obj : null;
        }
    }

    /// <summary>As <see cref="CreateAsync{T}"/>; the kind comes from the object (see <see cref="KindRegistry.KindOf"/>).</summary>
    public IKubernetesObject<V1ObjectMeta> Create(IKubernetesObject<V1ObjectMeta> obj)
    {
        lock (_lock)
        {
            return CreateLocked(KindOf(obj), obj, restore: false);
        }
    }

    /// <summary>As <see cref="ReplaceAsync{T}"/>.</summary>
    public IKubernetesObject<V1ObjectMeta> Replace(IKubernetesObject<V1ObjectMeta> obj)
    {
        lock (_lock)
        {
            return ReplaceLocked(KindOf(obj), obj);
        }
    }

    /// <summary>As <see cref="ReplaceStatusAsync{T}"/>.</summary>
    public IKubernetesObject<V1ObjectMeta> ReplaceStatus(IKubernetesObject<V1ObjectMeta> obj)
    {
        lock (_lock)
        {
            return ReplaceStatusLocked(KindOf(obj), obj);
        }
    }

    /// <summary>As <see cref="DeleteAsync{T}"/>, with optional uid and resource-version preconditions.</summary>
    public DeleteResult<IKubernetesObject<V1ObjectMeta>> Delete(
        KindInfo kind,
        string? ns,
        string name,
        long? gracePeriodSeconds = null,
        DeletePreconditions preconditions = default)
    {
        lock (_lock)
        {
            var (obj, removed) = DeleteLocked(kind, ns, name, gracePeriodSeconds, preconditions);
            return new DeleteResult<IKubernetesObject<V1ObjectMeta>>(obj, removed);
        }
    }

    ValueTask<IKubernetesObject<V1ObjectMeta>?> IUntypedReads.GetAsync(KindKey kind, string? ns, string name, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IKubernetesObject<V1ObjectMeta>?>(cancellationToken);
        }

        return ValueTask.FromResult(_kinds.TryGet(kind, out var info) ? Get(info, ns, name) : null);
    }

    ValueTask<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> IUntypedReads.ListAsync(KindKey kind, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>(cancellationToken);
        }

        return ValueTask.FromResult<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>(_kinds.TryGet(kind, out var info) ? List(info).Items : []);
    }

    ValueTask IUntypedReads.DeleteAsync(KindKey kind, string? ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            var info = _kinds.TryGet(kind, out var known) ? known : throw new ClusterException(ClusterErrorReason.NotFound, $"the server could not find the requested resource ({kind})");
            Delete(info, ns, name, gracePeriodSeconds);
            return ValueTask.CompletedTask;
        }
        catch (ClusterException e)
        {
            return ValueTask.FromException(e);
        }
    }
}
