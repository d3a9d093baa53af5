using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Tests.Deployment;

/// <summary>
/// A cluster that notes each call a component makes, as the Kubernetes API request it is on a real cluster
/// (apiGroup, resource, verb): lists and subscriptions are list (and watch), reads get, writes create, update,
/// delete, status writes update on <c>x/status</c>, binds create on <c>pods/binding</c>, evictions create on
/// <c>pods/eviction</c>, events create and patch.
/// </summary>
internal sealed class RecordingCluster(ICluster inner) : ICluster, IUntypedReads
{
    private readonly HashSet<RbacPermission> _calls = [];
    private readonly Lock _gate = new();

    public KindRegistry Kinds => inner.Kinds;

    public IReadOnlySet<RbacPermission> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToHashSet();
            }
        }
    }

    public ValueTask<ClusterList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.Get<T>(), "list");
        return inner.ListAsync<T>(cancellationToken);
    }

    public ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.Get<T>(), "get");
        return inner.GetAsync<T>(ns, name, cancellationToken);
    }

    public ValueTask<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.KindOf(obj), "create");
        return inner.CreateAsync(obj, cancellationToken);
    }

    public ValueTask<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.KindOf(obj), "update");
        return inner.ReplaceAsync(obj, cancellationToken);
    }

    public ValueTask<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.KindOf(obj), "update", "/status");
        return inner.ReplaceStatusAsync(obj, cancellationToken);
    }

    public ValueTask<DeleteResult<T>> DeleteAsync<T>(string? ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Note(Kinds.Get<T>(), "delete");
        return inner.DeleteAsync<T>(ns, name, gracePeriodSeconds, cancellationToken);
    }

    public ValueTask<DeleteResult<V1Pod>> EvictPodAsync(string ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
    {
        Note(Kinds.Get<V1Pod>(), "create", "/eviction");
        return inner.EvictPodAsync(ns, name, gracePeriodSeconds, cancellationToken);
    }

    public ValueTask<V1Pod> BindPodAsync(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        Note(Kinds.Get<V1Pod>(), "create", "/binding");
        return inner.BindPodAsync(ns, name, nodeName, annotations, cancellationToken);
    }

    public ValueTask<IChangeFeed> SubscribeAsync(ChangeFeedOptions options, CancellationToken cancellationToken = default)
    {
        foreach (var kind in options.Kinds ?? [])
        {
            Note(Kinds.Get(kind), "list");
            Note(Kinds.Get(kind), "watch");
        }

        return inner.SubscribeAsync(options, cancellationToken);
    }

    public ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default)
    {
        // A new event is created; a repeat patches its count (client-go's recorder, and the Kubernetes backend).
        Note(Kinds.Get<Corev1Event>(), "create");
        Note(Kinds.Get<Corev1Event>(), "patch");
        return inner.RecordEventAsync(record, cancellationToken);
    }

    ValueTask<IKubernetesObject<V1ObjectMeta>?> IUntypedReads.GetAsync(KindKey kind, string? ns, string name, CancellationToken cancellationToken)
    {
        Note(Kinds.Get(kind), "get");
        return ((IUntypedReads)inner).GetAsync(kind, ns, name, cancellationToken);
    }

    ValueTask<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> IUntypedReads.ListAsync(KindKey kind, CancellationToken cancellationToken)
    {
        Note(Kinds.Get(kind), "list");
        return ((IUntypedReads)inner).ListAsync(kind, cancellationToken);
    }

    ValueTask IUntypedReads.DeleteAsync(KindKey kind, string? ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        Note(Kinds.Get(kind), "delete");
        return ((IUntypedReads)inner).DeleteAsync(kind, ns, name, gracePeriodSeconds, cancellationToken);
    }

    private void Note(KindInfo kind, string verb, string subresource = "")
    {
        lock (_gate)
        {
            _calls.Add(new RbacPermission(kind.Key.Group, kind.Plural + subresource, verb));
        }
    }
}
