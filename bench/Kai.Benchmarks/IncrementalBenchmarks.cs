using BenchmarkDotNet.Attributes;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Controllers.Cache;
using Kai.Controllers.Scheduling;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Simulation.Benchmarks;
using Kai.Simulation.Time;

namespace Kai.Benchmarks;

/// <summary>
/// The large mixed cluster of issue 11 (<see cref="MixedCluster"/>: 35 pods per node, mostly running GPU gangs,
/// half-GPU pairs and CPU-only gangs in 300 queues), at the benchmarks' node counts, with 5 pending pods per node.
/// </summary>
internal static class MixedWorkload
{
    public const int PodsPerNode = 35;

    public const int PendingPerNode = 5;

    public static EmbeddedCluster Load(int nodes, int pendingPerNode = PendingPerNode)
    {
        var cluster = new EmbeddedCluster(new SimulatedClock(Workload.Now), KaiKinds.CreateRegistry());
        cluster.Load(MixedCluster.Generate(nodes, PodsPerNode * nodes, pendingPerNode * nodes, Workload.Seed).Objects);
        return cluster;
    }
}

/// <summary>
/// The cache's incremental path: applying one round of churn (1 % of the pods finish, whole running groups, and as
/// many new pending pods arrive, with their pod groups) from the change feed. Each iteration makes a new round of
/// changes outside the measurement and measures <see cref="SchedulerCache.Sync"/> alone; its allocation budget
/// guards "mapped once per change".
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class CacheSyncBenchmarks
{
    private ChurnedWorkload _workload = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _workload = await ChurnedWorkload.LoadAsync(Nodes).ConfigureAwait(false);

    [IterationSetup]
    public void MakeChanges() => _workload.NextRound();

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>Applies the round's changes (about 2 × 1 % of the pods, plus their pod groups).</summary>
    [Benchmark]
    public int SyncChurn() => _workload.Cache.Sync();
}

/// <summary>
/// An allocate-only cycle on the mixed cluster, where most pending gangs find no room: each failure is explained
/// from the per-node verdicts kept for its pod shape (only nodes whose books changed are checked again), so the
/// explanations cost the changed nodes, not every node per failing pod.
/// </summary>
[MemoryDiagnoser]
public class CrowdedAllocateBenchmarks
{
    private SchedulingEngine _engine = null!;
    private ClusterSnapshot _snapshot = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var cache = await SchedulerCache.CreateAsync(MixedWorkload.Load(Nodes)).ConfigureAwait(false);
        _snapshot = SnapshotBuilder.Build(cache.BuildState(Workload.Now));
        _engine = new SchedulingEngine(SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] }, KaiPlugins.Registry);
        var result = _engine.RunCycle(_snapshot);
        Console.WriteLine($"// mixed cluster, {Nodes} nodes, {_snapshot.Pods.Count} pods: {result.Decisions.Count} decisions, {result.Explanations.Count} explanations");
    }

    [Benchmark]
    public CycleResult Allocate() => _engine.RunCycle(_snapshot);
}

/// <summary>
/// A scheduler cycle in which nothing changed since a cycle that asked nothing of the cluster: the cache applies
/// no change and the previous outcome is repeated without running the engine. Its allocation budget is a few
/// hundred bytes whatever the cluster's size.
/// </summary>
[MemoryDiagnoser]
public class RepeatedCycleBenchmarks
{
    private Scheduler _scheduler = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var cluster = MixedWorkload.Load(Nodes, pendingPerNode: 0);
        _scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, new SimulatedClock(Workload.Now)).ConfigureAwait(false);
        var repeated = false;
        for (var c = 0; c < 5 && !repeated; c++)
        {
            repeated = (await _scheduler.RunCycleAsync().ConfigureAwait(false)).Repeated;
            await _scheduler.FlushStatusAsync().ConfigureAwait(false);
        }

        Console.WriteLine($"// mixed cluster, {Nodes} nodes, nothing pending: cycles repeated = {repeated}");
        if (!repeated)
        {
            throw new InvalidOperationException("the cluster never settled: cycles keep deciding, so there is nothing to repeat");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _scheduler.Dispose();

    [Benchmark]
    public bool RepeatedCycle() => _scheduler.RunCycleAsync().AsTask().GetAwaiter().GetResult().Repeated;
}

/// <summary>
/// The start of a cycle after a round of churn, the way the scheduler does it: the snapshot carried over from the
/// previous one (links of unchanged pods translated, pod sets of unchanged gangs kept) and a session opened over it
/// (its starting books patched from the previous snapshot's), against both built from scratch. Each iteration makes a
/// new round of changes and builds the cache's state outside the measurement; the budget of the carried-over path
/// guards "work in proportion to the changes" (what remains is arrays over the pods, not objects per pod).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class CarriedOverCycleStartBenchmarks
{
    private ChurnedWorkload _workload = null!;
    private SchedulingEngine _engine = null!;
    private ClusterSnapshot _previous = null!;
    private ClusterState _state = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _workload = await ChurnedWorkload.LoadAsync(Nodes).ConfigureAwait(false);
        _engine = new SchedulingEngine(SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] }, KaiPlugins.Registry);
        _previous = SnapshotBuilder.Build(_workload.Cache.BuildState(Workload.Now));
        _engine.OpenSession(_previous);
    }

    [IterationSetup]
    public void MakeChanges()
    {
        _workload.NextRound();
        _workload.Cache.Sync();
        _state = _workload.Cache.BuildState(Workload.Now);
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>The snapshot carried over from the previous one, and a session over it (books patched).</summary>
    [Benchmark]
    public Session CarriedOver()
    {
        var snapshot = SnapshotBuilder.Build(_state, _previous);
        var session = _engine.OpenSession(snapshot);
        _previous = snapshot;
        return session;
    }

    /// <summary>The same from scratch: every pod linked by name and charged to the books again.</summary>
    [Benchmark(Baseline = true)]
    public Session FromScratch() => _engine.OpenSession(SnapshotBuilder.Build(_state));
}
