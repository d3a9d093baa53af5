using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;
using Kai.ApiServer;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Kubernetes;
using Kai.Cluster.Port;
using Kai.Controllers.Hosting;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Decisions;
using Kai.Simulation.Benchmarks;

namespace Kai.Cli.Benchmarks;

/// <summary>
/// <c>kai bench --through-api</c>: the generated cluster created through the HTTP API of an in-process kai serve
/// without scheduler, the components of <c>kai run</c> (scheduler, binder, pod-grouper on the KubernetesClient
/// backend) scheduling it over loopback, and pods bound per second end to end — from a pod's creation (its ADDED
/// in the store) to its <c>spec.nodeName</c> being set — with the scheduling cycles' times.
/// </summary>
internal static class ThroughApiBenchmark
{
    public static async Task<ThroughApiResult> RunAsync(ThroughApiSettings settings, CancellationToken cancellationToken)
    {
        var objects = SyntheticCluster.Generate(settings.Nodes, settings.PendingPods, settings.Seed);
        var store = new EmbeddedCluster(TimeProvider.System, KaiKinds.CreateRegistry());
        var server = await ApiServer.ApiServer.StartAsync(store, new ApiServerOptions { Port = 0, Http2Port = settings.Http2 ? 0 : null }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            var connection = ConnectionTo(server, settings.Http2);
            // The clients that create the cluster write through the backend's REST path as any program on it would;
            // nothing subscribes on this instance, so it keeps no caches and opens no watches.
            var client = KubernetesCluster.Connect(connection, KaiKinds.CreateRegistry());
            await using var clientDisposal = client.ConfigureAwait(false);
            var setupStart = Stopwatch.GetTimestamp();
            var namespaces = objects.Select(o => o.Metadata.NamespaceProperty).OfType<string>().Distinct().Where(ns => ns != "default").ToList();
            await CreateAllAsync(namespaces.Select(ns => (IKubernetesObject<V1ObjectMeta>)new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ns } }), client, settings.Clients, cancellationToken).ConfigureAwait(false);
            await CreateAllAsync(objects.Where(o => o is V1PriorityClass or Queue or V1Node), client, settings.Clients, cancellationToken).ConfigureAwait(false);
            var setup = Stopwatch.GetElapsedTime(setupStart);

            // The components start on the cluster with nodes and queues, as a scheduler that is already running.
            var cluster = KubernetesCluster.Connect(connection, KaiKinds.CreateRegistry(), logger: settings.Logging.CreateLogger("kai.cluster"));
            await using (cluster.ConfigureAwait(false))
            {
                var options = new ComponentHostOptions
                {
                    Configuration = settings.Configuration,
                    SchedulePeriod = settings.SchedulePeriod,
                    Telemetry = new SchedulerTelemetry { LoggerFactory = settings.Logging },
                };
                var host = ComponentHost.Start(cluster, options, settings.Logging.CreateLogger("kai.components"));
                await using (host.ConfigureAwait(false))
                {
                    await WaitUntilReadyAsync(host, cancellationToken).ConfigureAwait(false);

                    using var observer = PodObserver.Start(store);
                    using var cycles = new CycleRecorder(host);
                    var requestsBefore = server.Requests.Snapshot();
                    var countersStart = ProcessCounters.Now();
                    var createStart = Stopwatch.GetTimestamp();
                    await CreateAllAsync(objects.Where(o => o is PodGroup), client, settings.Clients, cancellationToken).ConfigureAwait(false);
                    await CreateAllAsync(objects.Where(o => o is V1Pod), client, settings.Clients, cancellationToken).ConfigureAwait(false);
                    var creation = Stopwatch.GetElapsedTime(createStart);

                    // Done when the scheduler has nothing more to place and every bind request is settled.
                    var quiet = 0;
                    while (quiet < 2)
                    {
                        var outcome = await host.NextCycleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                        var settled = store.List(store.Kinds.Get<BindRequest>()).Items.Cast<BindRequest>().All(r => r.Status?.Phase is BindRequestStatus.PhaseSucceeded or BindRequestStatus.PhaseFailed);
                        quiet = outcome.Result.Decisions.Any(d => d.Kind == DecisionKind.Bind) || !settled ? 0 : quiet + 1;
                    }

                    // The binder's events trail its binds; they are part of the work a bound pod costs.
                    await host.FlushBinderEventsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                    var (created, bound) = observer.Stop();
                    var counters = ProcessCounters.Now() - countersStart;
                    var requests = server.Requests.Snapshot().ToDictionary(r => r.Key, r => r.Value - requestsBefore.GetValueOrDefault(r.Key), StringComparer.Ordinal);
                    return ThroughApiResult.From(settings, setup, creation, created, bound, cycles.Timings, counters.ProcessorTime, requests) with { Events = EventTally(store), Counters = counters };
                }
            }
        }
    }

    /// <summary>The server's HTTP/2 port with prior knowledge, or its HTTP/1.1 port.</summary>
    private static KubernetesConnection ConnectionTo(ApiServer.ApiServer server, bool http2) => http2
        ? new KubernetesConnection { Server = server.Http2Address, Http2PriorKnowledge = true }
        : new KubernetesConnection { Server = server.Address };

    private static async Task WaitUntilReadyAsync(ComponentHost host, CancellationToken cancellationToken)
    {
        while (!host.IsReady)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The events in the store by involved kind and reason: how many objects and how many occurrences (their counts summed).</summary>
    private static IReadOnlyList<EventFigure> EventTally(EmbeddedCluster store) =>
    [
        .. store.List(store.Kinds.Get<Corev1Event>()).Items.Cast<Corev1Event>()
            .GroupBy(e => (Kind: e.InvolvedObject?.Kind ?? "?", e.Reason))
            .Select(g => new EventFigure(g.Key.Kind, g.Key.Reason ?? "?", g.Count(), g.Sum(e => Math.Max(e.Count ?? 1, 1))))
            .OrderByDescending(f => f.Objects),
    ];

    // The load generator needs no stored object back: it reads the answers' metadata only, as the backend does for
    // the events it creates (what the components read comes from their own watches).
    private static Task CreateAllAsync(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, KubernetesCluster client, int clients, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = cancellationToken }, async (obj, ct) =>
            await client.CreateReadingMetadataAsync(obj, ct).ConfigureAwait(false));

    /// <summary>Watches the store in-process: when each pod was created and when its node was set.</summary>
    private sealed class PodObserver : IDisposable
    {
        private readonly ConcurrentDictionary<string, long> _created = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, long> _bound = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private Task _run = Task.CompletedTask;

        public static PodObserver Start(EmbeddedCluster store)
        {
            var observer = new PodObserver();
            var feed = store.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>())).AsTask().GetAwaiter().GetResult();
            observer._run = Task.Run(async () =>
            {
                using (feed)
                {
                    try
                    {
                        await foreach (var change in feed.Changes.ReadAllAsync(observer._stop.Token).ConfigureAwait(false))
                        {
                            var now = Stopwatch.GetTimestamp();
                            var pod = (V1Pod)change.Object;
                            var key = pod.Metadata.NamespaceProperty + "/" + pod.Metadata.Name;
                            if (change.Type == ChangeType.Added)
                            {
                                observer._created.TryAdd(key, now);
                            }

                            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
                            {
                                observer._bound.TryAdd(key, now);
                            }
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopped.
                    }
                }
            });
            return observer;
        }

        public (IReadOnlyDictionary<string, long> Created, IReadOnlyDictionary<string, long> Bound) Stop()
        {
            _stop.Cancel();
            _run.GetAwaiter().GetResult();
            return (_created, _bound);
        }

        public void Dispose() => _stop.Dispose();
    }

    /// <summary>Collects every scheduling cycle's timings while the benchmark runs (subscribed to the host, so none is missed).</summary>
    private sealed class CycleRecorder : IDisposable
    {
        private readonly ComponentHost _host;
        private readonly List<(CycleTimings Timings, int Binds)> _timings = [];

        public CycleRecorder(ComponentHost host)
        {
            _host = host;
            host.CycleCompleted += Record;
        }

        public List<(CycleTimings Timings, int Binds)> Timings
        {
            get
            {
                lock (_timings)
                {
                    return [.. _timings];
                }
            }
        }

        public void Dispose() => _host.CycleCompleted -= Record;

        private void Record(CycleOutcome outcome)
        {
            lock (_timings)
            {
                _timings.Add((outcome.Timings, outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Bind)));
            }
        }
    }
}
