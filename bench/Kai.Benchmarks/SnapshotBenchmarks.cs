using BenchmarkDotNet.Attributes;
using Kai.Scheduling.Snapshots;

namespace Kai.Benchmarks;

/// <summary>
/// Linking the cache's <see cref="ClusterState"/> into a <see cref="ClusterSnapshot"/> (sort, resolve names to
/// indices, form pod sets) — the step between the cache and the engine in every cycle. The cluster and cache are
/// loaded once per parameter set.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private LoadedCluster _cluster = null!;
    private ClusterState _state = null!;

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [Params(ClusterShape.Empty, ClusterShape.Full)]
    public ClusterShape Cluster { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cluster = await LoadedCluster.LoadAsync(Cluster, Nodes).ConfigureAwait(false);
        _state = _cluster.BuildState();
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.Dispose();

    /// <summary>SnapshotBuilder.Build on a ready ClusterState.</summary>
    [Benchmark(Baseline = true)]
    public ClusterSnapshot Build() => SnapshotBuilder.Build(_state);

    /// <summary>The cache's BuildState (copies out the mapped objects) followed by SnapshotBuilder.Build, as a cycle does.</summary>
    [Benchmark]
    public ClusterSnapshot BuildStateAndSnapshot() => SnapshotBuilder.Build(_cluster.BuildState());
}
