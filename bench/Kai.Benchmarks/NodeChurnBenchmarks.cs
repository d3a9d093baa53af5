using BenchmarkDotNet.Attributes;
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
    private ChurnedWorkload _workload = null!;
    private NodeChurn _nodeChurn = null!;
    private SchedulingEngine _engine = null!;
    private ClusterSnapshot _previous = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    /// <summary>Per cent of the nodes updated per round: 0 is the yardstick (pod churn only).</summary>
    [Params(0, 1)]
    public int NodeChurnPercent { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _workload = await ChurnedWorkload.LoadAsync(Nodes).ConfigureAwait(false);
        _nodeChurn = await NodeChurn.CreateAsync(_workload.Cluster, Workload.Seed + 2).ConfigureAwait(false);
        _engine = new SchedulingEngine(SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] }, KaiPlugins.Registry);
        _previous = SnapshotBuilder.Build(_workload.Cache.BuildState(Workload.Now));
        _engine.OpenSession(_previous);
    }

    [IterationSetup]
    public void MakeChanges()
    {
        _workload.NextRound();
        _nodeChurn.RunOnceAsync(Nodes * NodeChurnPercent / 100, _workload.Now).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>The changes applied by the cache, the snapshot carried over and a session over it (books patched).</summary>
    [Benchmark]
    public Session SyncAndCarryOver()
    {
        _workload.Cache.Sync();
        var snapshot = SnapshotBuilder.Build(_workload.Cache.BuildState(Workload.Now), _previous);
        var session = _engine.OpenSession(snapshot);
        _previous = snapshot;
        return session;
    }
}
