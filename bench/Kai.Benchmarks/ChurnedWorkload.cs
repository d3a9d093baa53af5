using Kai.Cluster.Embedded;
using Kai.Controllers.Cache;
using Kai.Simulation.Benchmarks;

namespace Kai.Benchmarks;

/// <summary>
/// The mixed workload loaded into an embedded cluster with the scheduler's cache over it, and rounds of pod churn
/// (1 % of the pods finish, as many arrive), each a simulated second after the last: what the incremental benchmarks
/// set up alike and change between iterations.
/// </summary>
internal sealed class ChurnedWorkload : IDisposable
{
    private readonly PodChurn _churn;
    private readonly int _podsPerRound;

    private ChurnedWorkload(EmbeddedCluster cluster, SchedulerCache cache, PodChurn churn, int nodes)
    {
        Cluster = cluster;
        Cache = cache;
        _churn = churn;
        _podsPerRound = MixedWorkload.PodsPerNode * nodes / 100;
        Now = Workload.Now.UtcDateTime;
    }

    public EmbeddedCluster Cluster { get; }

    public SchedulerCache Cache { get; }

    /// <summary>The simulated time of the last round.</summary>
    public DateTime Now { get; private set; }

    public static async Task<ChurnedWorkload> LoadAsync(int nodes)
    {
        var cluster = MixedWorkload.Load(nodes);
        var cache = await SchedulerCache.CreateAsync(cluster).ConfigureAwait(false);
        var churn = await PodChurn.CreateAsync(cluster, Workload.Seed).ConfigureAwait(false);
        return new ChurnedWorkload(cluster, cache, churn, nodes);
    }

    /// <summary>Moves time on a second and runs one round of pod churn in the cluster (not yet synced into the cache).</summary>
    public void NextRound()
    {
        Now = Now.AddSeconds(1);
        _churn.RunOnceAsync(_podsPerRound, Now).AsTask().GetAwaiter().GetResult();
    }

    public void Dispose() => Cache.Dispose();
}
