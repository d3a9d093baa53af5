using BenchmarkDotNet.Attributes;
using Kai.Cluster.Embedded;
using Kai.Controllers.Cache;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Simulation.Benchmarks;

namespace Kai.Benchmarks;

/// <summary>
/// The start of a cycle on a real cluster, whose kubelets post node status updates all the time: a round of pod churn
/// plus 1 % of the nodes updated (<see cref="NodeChurn"/>: mostly heartbeat times, one in ten a real change of
/// allocatable memory, a label or a taint), then the cache's sync, the snapshot carried over and a session over it.
/// Heartbeats must leave the node's mapped object as it was and a real change must recharge only that node's pods:
/// the budget guards that this costs about what <see cref="CarriedOverCycleStartBenchmarks.CarriedOver"/> costs
/// without node updates, plus the sync.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class NodeChurnCycleStartBenchmarks
{
    private EmbeddedCluster _cluster = null!;
    private SchedulerCache _cache = null!;
    private PodChurn _churn = null!;
    private NodeChurn _nodeChurn = null!;
    private SchedulingEngine _engine = null!;
    private ClusterSnapshot _previous = null!;
    private int _podsPerRound;
    private DateTime _now;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    /// <summary>Per cent of the nodes updated per round: 0 is the yardstick (pod churn only).</summary>
    [Params(0, 1)]
    public int NodeChurnPercent { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cluster = MixedWorkload.Load(Nodes);
        _cache = await SchedulerCache.CreateAsync(_cluster).ConfigureAwait(false);
        _churn = await PodChurn.CreateAsync(_cluster, Workload.Seed).ConfigureAwait(false);
        _nodeChurn = await NodeChurn.CreateAsync(_cluster, Workload.Seed + 2).ConfigureAwait(false);
        _engine = new SchedulingEngine(SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] }, KaiPlugins.Registry);
        _previous = SnapshotBuilder.Build(_cache.BuildState(Workload.Now));
        _engine.OpenSession(_previous);
        _podsPerRound = MixedWorkload.PodsPerNode * Nodes / 100;
        _now = Workload.Now.UtcDateTime;
    }

    [IterationSetup]
    public void MakeChanges()
    {
        _now = _now.AddSeconds(1);
        _churn.RunOnceAsync(_podsPerRound, _now).AsTask().GetAwaiter().GetResult();
        _nodeChurn.RunOnceAsync(Nodes * NodeChurnPercent / 100, _now).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    /// <summary>The changes applied by the cache, the snapshot carried over and a session over it (books patched).</summary>
    [Benchmark]
    public Session SyncAndCarryOver()
    {
        _cache.Sync();
        var snapshot = SnapshotBuilder.Build(_cache.BuildState(Workload.Now), _previous);
        var session = _engine.OpenSession(snapshot);
        _previous = snapshot;
        return session;
    }
}
