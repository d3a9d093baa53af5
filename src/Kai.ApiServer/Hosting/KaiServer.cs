using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Controllers.Admission;
using Kai.Simulation.Bootstrap;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.ApiServer.Hosting;

/// <summary>
/// What <c>kai serve</c> runs: an embedded cluster seeded like <c>kai simulate</c> seeds it (the manifests, KAI's
/// fresh-install priority classes and default queues, a default node pool when there are no nodes), served as a
/// Kubernetes API on 127.0.0.1, with the scheduler components ticking in-process unless switched off.
/// </summary>
public sealed class KaiServer : IAsyncDisposable
{
    private KaiServer(ApiServer api, SchedulerLoop? scheduler, int seeded, bool usedDefaultPool)
    {
        Api = api;
        Scheduler = scheduler;
        SeededObjects = seeded;
        UsedDefaultNodePool = usedDefaultPool;
    }

    /// <summary>The namespace KAI's components run in, created at start as KAI's install does.</summary>
    public const string KaiNamespace = "kai-scheduler";

    public ApiServer Api { get; }

    public Uri Address => Api.Address;

    public EmbeddedCluster Cluster => Api.Cluster;

    /// <summary>The in-process scheduler components; null with <see cref="ServeOptions.RunScheduler"/> off.</summary>
    public SchedulerLoop? Scheduler { get; }

    /// <summary>Objects stored before serving: manifests, fresh-install defaults and default nodes.</summary>
    public int SeededObjects { get; }

    public bool UsedDefaultNodePool { get; }

    /// <exception cref="Cluster.Port.ClusterException">The manifests hold two objects with the same name.</exception>
    public static async Task<KaiServer> StartAsync(ManifestSet manifests, ServeOptions options, ILoggerProvider? logging = null, CancellationToken cancellationToken = default)
    {
        var time = options.Api.TimeProvider;
        var cluster = new EmbeddedCluster(time, KaiKinds.CreateRegistry());
        var scenario = manifests.Objects.Select(o => o.Object).ToList();
        var seed = new List<IKubernetesObject<V1ObjectMeta>>(scenario);
        seed.AddRange(FreshInstall.ObjectsMissingFrom(scenario));
        var usedDefaultPool = !scenario.OfType<V1Node>().Any();
        if (usedDefaultPool)
        {
            seed.AddRange(options.NodePool.CreateNodes());
        }

        cluster.Load(seed);
        // KAI's webhooks judge every write after seeding (manifests were judged by the same rules when loaded).
        cluster.Admission = new KaiAdmission();
        var api = await ApiServer.StartAsync(cluster, options.Api, logging, cancellationToken).ConfigureAwait(false);

        // KAI's components live (and keep their leader-election Leases) in kai-scheduler, which KAI's install creates.
        if (cluster.Get(cluster.Kinds.Get<V1Namespace>(), null, KaiNamespace) is null)
        {
            cluster.Create(new V1Namespace { Metadata = new V1ObjectMeta { Name = KaiNamespace }, Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] }, Status = new V1NamespaceStatus { Phase = "Active" } });
        }

        SchedulerLoop? scheduler = null;
        if (options.RunScheduler)
        {
            try
            {
                ILoggerFactory loggers = logging is null ? NullLoggerFactory.Instance : new LoggerFactory([logging]);
                scheduler = await SchedulerLoop.StartAsync(cluster, options.Configuration, time, options.SchedulePeriod, loggers, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await api.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return new KaiServer(api, scheduler, seed.Count, usedDefaultPool);
    }

    /// <summary>Stops the scheduler components (the tick in flight completes), then the API server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Scheduler is not null)
        {
            await Scheduler.DisposeAsync().ConfigureAwait(false);
        }

        await Api.DisposeAsync().ConfigureAwait(false);
    }
}
