using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

public sealed partial class KubernetesCluster
{
    public async ValueTask<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.KindOf(obj);
        if (kind.IsNamespaced && string.IsNullOrEmpty(obj.Metadata?.NamespaceProperty))
        {
            obj = KubeObjects.WithEditedMetadata(obj, m => m.NamespaceProperty = DefaultNamespace);
        }

        var created = await CallAsync(c => ResourceOf(kind).CreateAsync(obj, c), cancellationToken).ConfigureAwait(false);
        Remember(kind, created);
        return (T)created;
    }

    /// <summary>
    /// Creates the object and reads only the stored object's metadata from the answer, for a writer that does not need
    /// the stored object back (the through-API bench's load generator). A kind this cluster caches is read whole, as
    /// <see cref="CreateAsync{T}"/> does, so that its cache still reads its own write.
    /// </summary>
    public async ValueTask<V1ObjectMeta> CreateReadingMetadataAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.KindOf(obj);
        if (CacheOf(kind) is not null)
        {
            return (await CreateAsync(obj, cancellationToken).ConfigureAwait(false)).Metadata;
        }

        if (kind.IsNamespaced && string.IsNullOrEmpty(obj.Metadata?.NamespaceProperty))
        {
            obj = KubeObjects.WithEditedMetadata(obj, m => m.NamespaceProperty = DefaultNamespace);
        }

        return await CallAsync(c => ResourceOf(kind).CreateReadingMetadataAsync(obj, c), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        ReplaceAsync(obj, status: false, cancellationToken);

    public ValueTask<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.KindOf(obj);
        return kind.HasStatusSubresource
            ? ReplaceAsync(obj, status: true, cancellationToken)
            : ValueTask.FromException<T>(new ClusterException(ClusterErrorReason.Invalid, $"{kind.Plural} have no status subresource"));
    }

    public async ValueTask<DeleteResult<T>> DeleteAsync<T>(string? ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.Get<T>();
        var key = KeyFor(kind, ns, name);
        var last = CacheOf(kind) is { } cache ? Locked(() => cache.Read(key)) : null;
        var answer = await CallAsync(c => ResourceOf(kind).DeleteAsync(key.Namespace, name, gracePeriodSeconds, c), cancellationToken).ConfigureAwait(false);
        var final = answer ?? last ?? Stub(kind, key);
        var removed = IsRemoved(final);
        if (removed)
        {
            Forget(kind, key, final.Metadata.ResourceVersion);
        }
        else
        {
            Remember(kind, final);
        }

        return new DeleteResult<T>((T)final, removed);
    }

    public async ValueTask<V1Pod> BindPodAsync(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        var binding = new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations is { Count: > 0 } ? new Dictionary<string, string>(annotations, StringComparer.Ordinal) : null },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
        };
        await CallAsync(async c => { await ResourceOf(Kinds.Get<V1Pod>()).CreateSubresourceAsync(ns, name, "binding", binding, c).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

        // The server answers with a Status; the pod is as last seen, with its node and the binding's annotations (its
        // next version arrives by watch).
        var pod = await GetAsync<V1Pod>(ns, name, cancellationToken).ConfigureAwait(false)
            ?? new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new V1PodSpec() };
        var metadata = pod.Metadata;
        if (binding.Metadata.Annotations is { } added)
        {
            metadata = metadata with { Annotations = KubeObjects.BindingAnnotations(metadata.Annotations, added) };
        }

        return pod with { Metadata = metadata, Spec = (pod.Spec ?? new V1PodSpec()) with { NodeName = nodeName } };
    }

    public async ValueTask<DeleteResult<V1Pod>> EvictPodAsync(string ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
    {
        var eviction = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            DeleteOptions = gracePeriodSeconds is null ? null : new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds },
        };
        var kind = Kinds.Get<V1Pod>();
        var key = KeyFor(kind, ns, name);
        var last = CacheOf(kind) is { } cache ? Locked(() => cache.Read(key)) : null;
        await CallAsync(async c => { await ResourceOf(kind).CreateSubresourceAsync(key.Namespace, name, "eviction", eviction, c).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

        // The eviction answers with a Status: read the pod back to tell a graceful termination from a removal.
        var current = (V1Pod?)await CallAsync(c => ResourceOf(kind).GetAsync(key.Namespace, name, c), cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var final = (V1Pod)(last ?? Stub(kind, key));
            Forget(kind, key, final.Metadata.ResourceVersion);
            return new DeleteResult<V1Pod>(final, true);
        }

        Remember(kind, current);
        return new DeleteResult<V1Pod>(current, false);
    }

    private async ValueTask<T> ReplaceAsync<T>(T obj, bool status, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.KindOf(obj);
        if (string.IsNullOrEmpty(obj.Metadata?.Name))
        {
            throw new ClusterException(ClusterErrorReason.Invalid, $"{kind.Plural}: metadata.name is required");
        }

        if (kind.IsNamespaced && string.IsNullOrEmpty(obj.Metadata.NamespaceProperty))
        {
            obj = KubeObjects.WithEditedMetadata(obj, m => m.NamespaceProperty = DefaultNamespace);
        }

        try
        {
            var replaced = await CallAsync(c => ResourceOf(kind).ReplaceAsync(obj, status, c), cancellationToken).ConfigureAwait(false);
            Remember(kind, replaced);
            return (T)replaced;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
        {
            // Someone else wrote first: fetch what they wrote, so the caller's next read (and retry) sees it.
            await RefreshAsync(kind, KeyOf(kind, obj), cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private async Task RefreshAsync(KindInfo kind, ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var current = await ResourceOf(kind).GetAsync(key.Namespace, key.Name, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                Remember(kind, current);
            }
        }
        catch (Exception e) when (ApiErrors.Translate(e, cancellationToken) is not null)
        {
            // The conflict is what the caller needs to know; a failed refresh leaves the cache to the watch.
        }
    }

    private void Remember(KindInfo kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (CacheOf(kind) is { } cache)
        {
            lock (_gate)
            {
                cache.RecordWrite(KeyOf(kind, obj), obj, obj.Metadata.ResourceVersion);
            }
        }
    }

    private void Forget(KindInfo kind, ObjectKey key, string? resourceVersion)
    {
        if (CacheOf(kind) is { } cache)
        {
            lock (_gate)
            {
                cache.RecordWrite(key, null, resourceVersion);
            }
        }
    }

    private TResult Locked<TResult>(Func<TResult> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    // A terminating object carries a deletion timestamp and either finalizers or a grace period still running.
    private static bool IsRemoved(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.DeletionTimestamp is null
        || (obj.Metadata.Finalizers is not { Count: > 0 } && (obj.Metadata.DeletionGracePeriodSeconds ?? 0) == 0);

    private static IKubernetesObject<V1ObjectMeta> Stub(KindInfo kind, ObjectKey key)
    {
        var stub = kind.IsGeneric ? new GenericObject() : (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(kind.ObjectType)!;
        stub.ApiVersion = kind.Key.ApiVersion;
        stub.Kind = kind.Key.Kind;
        stub.Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = kind.IsNamespaced ? key.Namespace : null };
        return stub;
    }
}
