using BenchmarkDotNet.Attributes;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;

namespace Kai.Benchmarks;

/// <summary>
/// One allocate-only engine cycle on the empty cluster with 10 pending pods per node (GPU demand about 1.8× the
/// cluster): session open, the allocate action, and the cycle result. No write-back.
/// </summary>
[MemoryDiagnoser]
public class AllocateBenchmarks
{
    private CycleRunner _runner = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => _runner = await CycleRunner.CreateAsync(ClusterShape.Empty, Nodes, [ActionKind.Allocate]).ConfigureAwait(false);

    [Benchmark]
    public CycleResult Allocate() => _runner.Run();
}
