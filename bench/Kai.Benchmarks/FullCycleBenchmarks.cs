using BenchmarkDotNet.Attributes;
using Kai.Scheduling;

namespace Kai.Benchmarks;

/// <summary>
/// One engine cycle with the default action list (allocate, consolidation, reclaim, preempt, stale-gang eviction)
/// on the empty cluster with 10 pending pods per node: allocate fills the cluster by fair share, and the
/// disruptive actions then search among what stays pending (they find nothing to evict here, so their share is
/// the cost of the search). No write-back.
/// </summary>
[MemoryDiagnoser]
public class FullCycleBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Empty, Nodes, actions: null).ConfigureAwait(false);

    [Benchmark]
    public CycleResult FullCycle() => _runner.Run();
}

/// <summary>
/// One engine cycle with the default action list on the full cluster (every GPU running, 5 pending pods per
/// node): allocate finds no room, and reclaim and preempt evict.
/// </summary>
[MemoryDiagnoser]
public class FullCycleOnFullClusterBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Full, Nodes, actions: null).ConfigureAwait(false);

    [Benchmark]
    public CycleResult FullCycle() => _runner.Run();
}
