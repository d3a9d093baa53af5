using BenchmarkDotNet.Attributes;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;

namespace Kai.Benchmarks;

/// <summary>
/// One reclaim-only cycle on the full cluster (every GPU running, 5 pending pods per node): queues under their
/// fair share take GPUs back from the over-served third of the teams.
/// </summary>
[MemoryDiagnoser]
public class ReclaimBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Full, Nodes, [ActionKind.Reclaim]).ConfigureAwait(false);

    [Benchmark]
    public CycleResult Reclaim() => _runner.Run();
}

/// <summary>One preempt-only cycle on the full cluster: higher-priority pending gangs evict lower-priority ones in their own queue.</summary>
[MemoryDiagnoser]
public class PreemptBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Full, Nodes, [ActionKind.Preempt]).ConfigureAwait(false);

    [Benchmark]
    public CycleResult Preempt() => _runner.Run();
}

/// <summary>
/// One consolidation-only cycle on the full cluster. The running gangs are packed node by node with no free GPU,
/// so no move can make room: this measures the cost of the search proving so (0 decisions), not of a move.
/// </summary>
[MemoryDiagnoser]
public class ConsolidationBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Full, Nodes, [ActionKind.Consolidation]).ConfigureAwait(false);

    [Benchmark]
    public CycleResult Consolidation() => _runner.Run();
}
