using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Kai.Cluster.Kubernetes.Reflection;
using Kai.Cluster.Kubernetes.Rest;
using Kai.Cluster.Port;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// The cluster port on a real Kubernetes API server, through KubernetesClient's HTTP client and credentials (requests
/// and watches read and written by <see cref="Rest.RestTransport"/> and <see cref="Rest.WatchStream"/>). Reads of a watched kind come from
/// a cache that a reflector keeps in step (list, then watch from the list's resource version with bookmarks, relist
/// on 410 Gone, back-off on failures, an inactivity watchdog), overlaid with the results of this process's own
/// writes until the watch shows them (read-your-writes). Change feeds are built from what the reflectors observe and
/// behave as the embedded cluster's: per subscriber, synthetic Added for the current state first, then live changes.
/// </summary>
/// <remarks>
/// <para>A kind is watched from the first <see cref="SubscribeAsync"/> (or <see cref="StartWatchingAsync"/>) that names
/// it; reads of kinds nobody watches go to the server. Adding a kind means registering it in the
/// <see cref="KindRegistry"/>: every request goes through <see cref="ResourceClient{T}"/> by group, version and
/// plural.</para>
/// <para>Failures are <see cref="ClusterException"/>s: the server's answer by its status code, and
/// <see cref="ClusterErrorReason.Unavailable"/> when it could not be reached. After a 409 Conflict the current
/// object is fetched into the cache, so a caller that reads again and retries works on fresh state.</para>
/// </remarks>
public sealed partial class KubernetesCluster : ICluster, IOwnWritesBarrier, IKnownVersions, IAsyncDisposable
{
    private const string DefaultNamespace = "default";

    private readonly IKubernetes _client;
    private readonly RestTransport _transport;
    private readonly bool _ownsClient;
    private readonly KubernetesClusterOptions _options;
    private readonly ILogger _logger;
    private readonly Backoff _backoff;
    private readonly Lock _gate = new();
    private readonly Dictionary<KindInfo, KindCache> _caches = [];
    private readonly Dictionary<KindInfo, (Reflector Reflector, Task Run)> _reflectors = [];
    private readonly ConcurrentDictionary<KindInfo, IResourceClient> _resources = new();
    private readonly ChangeHistory _history;
    // client-go remembers 4,096 series per process; `kai run` hosts the scheduler, binder and controllers on one
    // backend, and the binder's two one-off series per bound pod would push the scheduler's repeating ones out of a
    // cache that size between two cycles (a repeat then creates another event): room for four processes' worth.
    private readonly EventCorrelator _events = new(4 * 4096);
    private readonly CancellationTokenSource _stop = new();
    private readonly Sink _sink;
    private readonly List<TaskCompletionSource> _ownWritesWaiters = [];
    private ChangeFeed[] _feeds = [];
    private string _resourceVersion = "0";
    private int _disposed;

    /// <param name="client">A client whose requests pass <see cref="CoreGroupPathHandler"/> (see <see cref="KubernetesConnection.CreateClient()"/>).</param>
    /// <param name="ownsClient">Dispose <paramref name="client"/> with the cluster.</param>
    public KubernetesCluster(IKubernetes client, KindRegistry kinds, KubernetesClusterOptions? options = null, ILogger? logger = null, bool ownsClient = false)
    {
        _client = client;
        _ownsClient = ownsClient;
        Kinds = kinds;
        _options = options ?? new KubernetesClusterOptions();
        _transport = new RestTransport(client, _options.RequestTimeout);
        _logger = logger ?? NullLogger.Instance;
        _backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, new Random(_options.RandomSeed));
        _history = new ChangeHistory(_options.HistoryCapacity);
        _sink = new Sink(this);
    }

    /// <summary>A cluster on a new client for <paramref name="connection"/>, disposed with it.</summary>
    public static KubernetesCluster Connect(KubernetesConnection connection, KindRegistry kinds, KubernetesClusterOptions? options = null, ILogger? logger = null) =>
        new(connection.CreateClient(), kinds, options, logger, ownsClient: true);

    public KindRegistry Kinds { get; }

    /// <summary>The KubernetesClient this backend talks through.</summary>
    public IKubernetes Client => _client;

    /// <summary>True when every kind being watched has been listed at least once.</summary>
    public bool IsSynced
    {
        get
        {
            lock (_gate)
            {
                return _caches.Values.All(c => c.IsSynced);
            }
        }
    }

    /// <summary>Starts watching <paramref name="kinds"/> (those not watched yet) and waits for their first lists.</summary>
    public Task StartWatchingAsync(IEnumerable<KindKey> kinds, CancellationToken cancellationToken = default) =>
        EnsureWatchingAsync([.. kinds.Select(Kinds.Get).Distinct()], cancellationToken);

    /// <summary>What the reflector of <paramref name="kind"/> has been through; null when the kind is not watched.</summary>
    public ReflectorStatistics? StatisticsOf(KindKey kind)
    {
        lock (_gate)
        {
            return Kinds.TryGet(kind, out var info) && _reflectors.TryGetValue(info, out var entry) ? entry.Reflector.Statistics : null;
        }
    }

    public async ValueTask<ClusterList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.Get<T>();
        if (CacheOf(kind) is { IsSynced: true } cache)
        {
            lock (_gate)
            {
                return new ClusterList<T>([.. cache.ReadAll().Cast<T>()], cache.ResourceVersion);
            }
        }

        var (items, resourceVersion) = await CallAsync(c => ResourceOf(kind).ListAsync(_options.ListPageSize, c), cancellationToken).ConfigureAwait(false);
        return new ClusterList<T>([.. items.Cast<T>()], resourceVersion);
    }

    public async ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Kinds.Get<T>();
        var key = KeyFor(kind, ns, name);
        if (CacheOf(kind) is { IsSynced: true } cache)
        {
            lock (_gate)
            {
                return (T?)cache.Read(key);
            }
        }

        return (T?)await CallAsync(c => ResourceOf(kind).GetAsync(key.Namespace, name, c), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes when the watches have delivered every write this process made to a watched kind (so the feeds and
    /// the cache agree with what was written).
    /// </summary>
    public ValueTask WaitForOwnWritesAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (!HasUnobservedWritesLocked())
            {
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ownWritesWaiters.Add(waiter);
        }

        return new ValueTask(waiter.Task.WaitAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await FlushEventsOnDisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] runs;
        lock (_gate)
        {
            runs = [.. _reflectors.Values.Select(r => r.Run)];
            foreach (var feed in _feeds)
            {
                feed.Close();
            }

            _feeds = [];
            foreach (var waiter in _ownWritesWaiters)
            {
                waiter.TrySetCanceled();
            }

            _ownWritesWaiters.Clear();
        }

        await Task.WhenAll([.. runs, _eventFlushing ?? Task.CompletedTask]).ConfigureAwait(false);
        _stop.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// The resource version of every object the reflector of <paramref name="kind"/> has observed (null when the kind
    /// is not watched), and whether some of our own writes are still unobserved — for checking that the cache has
    /// caught up with the server.
    /// </summary>
    internal (Dictionary<(string Namespace, string Name), string?>? Observed, bool PendingWrites) ObservedVersions(KindKey kind)
    {
        lock (_gate)
        {
            if (!Kinds.TryGet(kind, out var info) || !_caches.TryGetValue(info, out var cache))
            {
                return (null, false);
            }

            return (cache.Observed.ToDictionary(p => (p.Key.Namespace, p.Key.Name), p => (string?)p.Value.Metadata.ResourceVersion), cache.Written.Count > 0);
        }
    }

    private bool HasUnobservedWritesLocked()
    {
        foreach (var cache in _caches.Values)
        {
            if (cache.Written.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void ReleaseOwnWritesWaitersLocked()
    {
        if (_ownWritesWaiters.Count == 0 || HasUnobservedWritesLocked())
        {
            return;
        }

        foreach (var waiter in _ownWritesWaiters)
        {
            waiter.TrySetResult();
        }

        _ownWritesWaiters.Clear();
    }

    private KindCache? CacheOf(KindInfo kind)
    {
        lock (_gate)
        {
            return _caches.GetValueOrDefault(kind);
        }
    }

    /// <summary>The object a cache of <paramref name="kind"/> holds at exactly the identity's version: our write's answer, or what the watch showed.</summary>
    IKubernetesObject<V1ObjectMeta>? IKnownVersions.Find(KindInfo kind, in ObjectIdentity identity)
    {
        var key = KeyFor(kind, identity.Namespace, identity.Name);
        lock (_gate)
        {
            if (!_caches.TryGetValue(kind, out var cache))
            {
                return null;
            }

            if (cache.Written.TryGetValue(key, out var written) && written.Object is { } ours && ours.Metadata.ResourceVersion == identity.ResourceVersion)
            {
                return ours;
            }

            return cache.Observed.TryGetValue(key, out var observed) && observed.Metadata.ResourceVersion == identity.ResourceVersion ? observed : null;
        }
    }

    /// <summary>The kind's REST client: reads and writes go to the server, never to the caches.</summary>
    internal IResourceClient ResourceOf(KindInfo kind) =>
        _resources.GetOrAdd(kind, static (k, cluster) => (IResourceClient)Activator.CreateInstance(typeof(ResourceClient<>).MakeGenericType(k.ObjectType), cluster._transport, k, cluster._options.ReuseDecodedVersions ? cluster : null)!, this);

    private async Task EnsureWatchingAsync(List<KindInfo> kinds, CancellationToken cancellationToken)
    {
        var synced = new List<Task>(kinds.Count);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            foreach (var kind in kinds)
            {
                if (!_caches.TryGetValue(kind, out var cache))
                {
                    cache = new KindCache(kind);
                    _caches[kind] = cache;
                    var reflector = new Reflector(ResourceOf(kind), cache, _sink, _options, _backoff, _logger);
                    _reflectors[kind] = (reflector, Task.Run(() => reflector.RunAsync(_stop.Token), CancellationToken.None));
                }

                synced.Add(cache.Synced);
            }
        }

        await Task.WhenAll(synced).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ObjectKey KeyFor(KindInfo kind, string? ns, string name) =>
        new(kind.IsNamespaced ? (string.IsNullOrEmpty(ns) ? DefaultNamespace : ns) : string.Empty, name);

    private static ObjectKey KeyOf(KindInfo kind, IKubernetesObject<V1ObjectMeta> obj) => KeyFor(kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    /// <summary>Runs one request, translating the client's failures into <see cref="ClusterException"/>s.</summary>
    private static async Task<TResult> CallAsync<TResult>(Func<CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ClusterException && ApiErrors.Translate(e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Applies what the reflectors learn under the cluster's lock, publishing it to the feeds in the same order.</summary>
    private sealed class Sink(KubernetesCluster cluster) : IReflectorSink
    {
        public void ApplyList(KindCache cache, List<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion)
        {
            var kind = cache.Kind;
            lock (cluster._gate)
            {
                var seen = new HashSet<ObjectKey>(items.Count);
                foreach (var item in items)
                {
                    var key = KeyOf(kind, item);
                    seen.Add(key);
                    if (cache.Observed.TryGetValue(key, out var old))
                    {
                        if (old.Metadata.ResourceVersion == item.Metadata.ResourceVersion)
                        {
                            continue;
                        }

                        cache.Observed[key] = item;
                        cache.Observe(key, item);
                        cluster.PublishLocked(new ClusterChange(ChangeType.Modified, kind.Key, item, item.Metadata.ResourceVersion ?? resourceVersion));
                    }
                    else
                    {
                        cache.Observed[key] = item;
                        cache.Observe(key, item);
                        cluster.PublishLocked(new ClusterChange(ChangeType.Added, kind.Key, item, item.Metadata.ResourceVersion ?? resourceVersion));
                    }
                }

                // What the list no longer has was deleted while we were not watching: a synthetic delete carries the
                // last state we saw, at the list's version.
                foreach (var key in cache.Observed.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    cache.Observed.Remove(key, out var gone);
                    cache.ObserveGone(key, resourceVersion);
                    cluster.PublishLocked(new ClusterChange(ChangeType.Deleted, kind.Key, gone!, resourceVersion));
                }

                cache.ResourceVersion = resourceVersion;
                cluster._resourceVersion = ResourceVersions.Max(cluster._resourceVersion, resourceVersion);
                cluster.ReleaseOwnWritesWaitersLocked();
            }
        }

        public void ApplyEvent(KindCache cache, WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
        {
            var kind = cache.Kind;
            var key = KeyOf(kind, obj);
            var version = obj.Metadata.ResourceVersion ?? cache.ResourceVersion;
            lock (cluster._gate)
            {
                ChangeType change;
                if (type == WatchEventType.Deleted)
                {
                    cache.Observed.Remove(key);
                    cache.ObserveGone(key, version);
                    change = ChangeType.Deleted;
                }
                else
                {
                    if (cache.Observed.TryGetValue(key, out var known) && !ResourceVersions.IsNewer(version, known.Metadata.ResourceVersion)
                        && ResourceVersions.TryParse(known.Metadata.ResourceVersion, out _))
                    {
                        // Already applied (a watch resumed from an older version replays it).
                        return;
                    }

                    change = known is null ? ChangeType.Added : ChangeType.Modified;
                    cache.Observed[key] = obj;
                    cache.Observe(key, obj);
                }

                cache.ResourceVersion = version;
                cluster._resourceVersion = ResourceVersions.Max(cluster._resourceVersion, version);
                cluster.PublishLocked(new ClusterChange(change, kind.Key, obj, version));
                cluster.ReleaseOwnWritesWaitersLocked();
            }
        }

        public void ApplyBookmark(KindCache cache, string resourceVersion)
        {
            lock (cluster._gate)
            {
                cache.ResourceVersion = resourceVersion;
                cluster._resourceVersion = ResourceVersions.Max(cluster._resourceVersion, resourceVersion);
            }
        }
    }
}
