using System.Runtime.InteropServices;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// An in-memory Kubernetes API server: the <see cref="ICluster"/> backend that needs nothing installed.
/// It keeps real API semantics — one global resource version shared by all kinds, optimistic concurrency,
/// status subresources, graceful pod deletion, finalizers, owner-reference garbage collection, events and
/// per-subscriber change feeds — so components run on it unchanged.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> A write stores a shallow copy of the given object with a private metadata copy;
/// spec and status are shared with the caller's instance, which therefore must not be mutated afterwards. A pod's
/// spec is swapped for one shallow copy shared by pods with equal specs (<see cref="SharedPodSpecs"/>); its lists and
/// nested objects stay the first writer's, under the same rule.
/// Reads and feeds return the stored instances themselves (no copies): never mutate them.</para>
/// <para><b>Cost.</b> Every operation holds one lock. Writes are O(1) amortised plus O(owner references)
/// plus O(subscribers); lists copy one array of references; nothing is deep-copied.</para>
/// <para><b>Determinism.</b> Uids and generated names come from counters and timestamps from the injected
/// <see cref="TimeProvider"/> (truncated to whole seconds, as the API server serialises them), so the same
/// sequence of calls yields the same cluster. List order follows the store's insertion history.</para>
/// <para>Admission: client creates and updates pass through <see cref="Admission"/> when one is set (KAI's webhooks);
/// seeding through <see cref="Load"/>, status writes, binds and deletes do not.</para>
/// <para>Not modelled: namespace existence, label/field selectors, pod-spec immutability.</para>
/// </remarks>
public sealed partial class EmbeddedCluster : ICluster
{
    private const string DefaultNamespace = "default";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly KindRegistry _kinds;
    private readonly Dictionary<KindInfo, KindStore> _stores = [];
    private readonly Dictionary<string, StoredObject> _byUid = new(StringComparer.Ordinal);
    private readonly OwnerIndex _owners = new();
    private readonly Queue<string> _removedOwners = new();
    private readonly ChangeHistory _history;
    private readonly RecordedEvents _events;
    private readonly Dictionary<string, V1EventSource> _eventSources = new(StringComparer.Ordinal);
    private readonly EventExpiry? _eventExpiry;
    private readonly SharedPodSpecs? _podSpecs;
    private ChangeFeed[] _feeds = [];
    private long _resourceVersion;
    private string _resourceVersionText = "0";
    private long _uidCounter;
    private long _nameCounter;
    private long _eventCounter;
    private bool _recordPreviousVersions;
    private IEmbeddedAdmission? _admission;

    /// <param name="timeProvider">Source of creation, deletion and event timestamps.</param>
    /// <param name="kinds">Registered kinds; defaults to <see cref="KindRegistry.CreateWithBuiltIns"/>.</param>
    /// <param name="options">Tuning; defaults to <see cref="EmbeddedClusterOptions"/>' defaults.</param>
    public EmbeddedCluster(TimeProvider timeProvider, KindRegistry? kinds = null, EmbeddedClusterOptions? options = null)
    {
        _time = timeProvider;
        _kinds = kinds ?? KindRegistry.CreateWithBuiltIns();
        options ??= new EmbeddedClusterOptions();
        _history = new ChangeHistory(options.HistoryCapacity);
        _eventExpiry = options.EventTimeToLive is { } ttl ? new EventExpiry(ttl) : null;
        _podSpecs = options.SharePodSpecs ? new SharedPodSpecs() : null;
        _events = new RecordedEvents(options.CompactEventIndex);
    }

    public KindRegistry Kinds => _kinds;

    /// <summary>
    /// The admission every client create and update passes through (KAI's webhooks, as the API server calls them),
    /// or null for none. It may read this cluster; it runs under the cluster's lock.
    /// </summary>
    public IEmbeddedAdmission? Admission
    {
        get
        {
            lock (_lock)
            {
                return _admission;
            }
        }

        set
        {
            lock (_lock)
            {
                _admission = value;
            }
        }
    }

    /// <summary>
    /// Whether changes carry <see cref="ClusterChange.Previous"/>. Off by default: it keeps one older version of
    /// every object in the change history and in undrained feeds alive, which the scheduler does not need; the API
    /// server turns it on for watches with selectors.
    /// </summary>
    public bool RecordPreviousVersions
    {
        get
        {
            lock (_lock)
            {
                return _recordPreviousVersions;
            }
        }

        set
        {
            lock (_lock)
            {
                _recordPreviousVersions = value;
            }
        }
    }

    /// <summary>Distinct pod specs the store holds (0 when pods do not share specs): for tests.</summary>
    internal int SharedPodSpecCount
    {
        get
        {
            lock (_lock)
            {
                return _podSpecs?.Count ?? 0;
            }
        }
    }

    /// <summary>The resource version of the latest write (0 before any).</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public ValueTask<ClusterList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ClusterList<T>>(cancellationToken);
        }

        var kind = _kinds.Get<T>();
        lock (_lock)
        {
            if (!_stores.TryGetValue(kind, out var store) || store.Objects.Count == 0)
            {
                return ValueTask.FromResult(new ClusterList<T>([], _resourceVersionText));
            }

            var items = new T[store.Objects.Count];
            var i = 0;
            foreach (var obj in store.Objects.Values)
            {
                items[i++] = (T)obj;
            }

            return ValueTask.FromResult(new ClusterList<T>(items, _resourceVersionText));
        }
    }

    public ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T?>(cancellationToken);
        }

        var kind = _kinds.Get<T>();
        lock (_lock)
        {
            var found = _stores.TryGetValue(kind, out var store)
                && store.Objects.TryGetValue(KeyFor(kind, ns, name), out var obj)
                ? (T)obj
                : null;
            return ValueTask.FromResult(found);
        }
    }

    public ValueTask<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Run(obj, static (cluster, o) => (T)cluster.CreateLocked(cluster.KindOf(o), o, restore: false), cancellationToken);

    public ValueTask<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Run(obj, static (cluster, o) => (T)cluster.ReplaceLocked(cluster.KindOf(o), o), cancellationToken);

    public ValueTask<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Run(obj, static (cluster, o) => (T)cluster.ReplaceStatusLocked(cluster.KindOf(o), o), cancellationToken);

    public ValueTask<DeleteResult<T>> DeleteAsync<T>(
        string? ns,
        string name,
        long? gracePeriodSeconds = null,
        CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Run(
            (Kind: _kinds.Get<T>(), Ns: ns, Name: name, Grace: gracePeriodSeconds),
            static (cluster, a) =>
            {
                var (obj, removed) = cluster.DeleteLocked(a.Kind, a.Ns, a.Name, a.Grace);
                return new DeleteResult<T>((T)obj, removed);
            },
            cancellationToken);

    public ValueTask<V1Pod> BindPodAsync(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default) =>
        Run(
            (Ns: ns, Name: name, Node: nodeName, Annotations: annotations),
            static (cluster, a) => cluster.BindLocked(a.Ns, a.Name, a.Node, a.Annotations),
            cancellationToken);

    public ValueTask<IChangeFeed> SubscribeAsync(ChangeFeedOptions options, CancellationToken cancellationToken = default) =>
        Run(options, static (cluster, o) => (IChangeFeed)cluster.SubscribeLocked(o), cancellationToken);

    public ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default) =>
        Run(record, static (cluster, r) => cluster.RecordEventLocked(r), cancellationToken);

    // Runs one operation under the lock and turns expected failures into a faulted task, as an HTTP backend would.
    private ValueTask<TResult> Run<TArg, TResult>(TArg arg, Func<EmbeddedCluster, TArg, TResult> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        try
        {
            lock (_lock)
            {
                return ValueTask.FromResult(operation(this, arg));
            }
        }
        catch (ClusterException ex)
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }

    private KindInfo KindOf(IKubernetesObject<V1ObjectMeta> obj) => _kinds.KindOf(obj);

    private static ObjectKey KeyFor(KindInfo kind, string? ns, string name) => new(NamespaceFor(kind, ns), name);

    /// <summary>Where an object of <paramref name="kind"/> is stored: its namespace ("default" when not given), or "" when cluster-scoped.</summary>
    private static string NamespaceFor(KindInfo kind, string? ns) =>
        kind.IsNamespaced ? (string.IsNullOrEmpty(ns) ? DefaultNamespace : ns) : string.Empty;

    private KindStore StoreFor(KindInfo kind)
    {
        if (!_stores.TryGetValue(kind, out var store))
        {
            store = new KindStore(kind);
            _stores.Add(kind, store);
        }

        return store;
    }

    private IKubernetesObject<V1ObjectMeta> Existing(KindInfo kind, string? ns, string name, out KindStore store, out ObjectKey key)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ClusterException.Invalid($"{kind.Plural}: metadata.name is required");
        }

        store = StoreFor(kind);
        key = KeyFor(kind, ns, name);
        return store.Objects.TryGetValue(key, out var existing)
            ? existing
            : throw ClusterException.NotFound(kind, key.Namespace, name);
    }

    // Timestamps carry whole seconds, as metav1.Time does on the wire, so a JSON round-trip preserves them.
    private DateTime Now()
    {
        var ticks = _time.GetUtcNow().UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>
    /// Commits a write: stamps the next resource version on <paramref name="metadata"/> (a private copy),
    /// attaches it to <paramref name="body"/> (a private shallow copy), updates the store and publishes.
    /// </summary>
    private IKubernetesObject<V1ObjectMeta> Commit(
        KindStore store,
        ObjectKey key,
        IKubernetesObject<V1ObjectMeta> body,
        V1ObjectMeta metadata,
        ChangeType type)
    {
        var kind = store.Kind;
        _resourceVersion++;
        _resourceVersionText = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata.ResourceVersion = _resourceVersionText;
        body.Metadata = metadata;
        body.ApiVersion = kind.Key.ApiVersion;
        body.Kind = kind.Key.Kind;
        IKubernetesObject<V1ObjectMeta>? previous;
        if (type == ChangeType.Deleted)
        {
            store.Objects.Remove(key, out previous);
        }
        else
        {
            // One hash lookup both reads the previous version and stores the new one.
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(store.Objects, key, out _);
            previous = slot;
            slot = body;
        }

        if (_podSpecs is { } podSpecs)
        {
            SharePodSpec(podSpecs, body, previous, type);
        }

        var change = new ClusterChange(type, kind.Key, body, _resourceVersionText) { Previous = _recordPreviousVersions ? previous : null };
        if (_batch is { } batch)
        {
            batch.Add((_resourceVersion, change));
        }
        else
        {
            Publish(change);
        }

        return body;
    }

    /// <summary>
    /// A pod's stored spec becomes the shared instance equal to it (body is the store's own copy or an object handed
    /// over, not yet published, so its spec may be replaced), and the spec it replaces or deletes is released.
    /// </summary>
    private static void SharePodSpec(SharedPodSpecs podSpecs, IKubernetesObject<V1ObjectMeta> body, IKubernetesObject<V1ObjectMeta>? previous, ChangeType type)
    {
        var previousSpec = (previous as V1Pod)?.Spec;
        if (type == ChangeType.Deleted)
        {
            if (previousSpec is not null)
            {
                podSpecs.Release(previousSpec);
            }
        }
        else if (body is V1Pod pod)
        {
            if (pod.Spec is { } spec)
            {
                pod.Spec = podSpecs.Share(spec, previousSpec);
            }
            else if (previousSpec is not null)
            {
                podSpecs.Release(previousSpec);
            }
        }
    }
}
