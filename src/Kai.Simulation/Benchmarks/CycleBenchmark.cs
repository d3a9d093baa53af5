using System.Diagnostics;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Time;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// Times one full scheduling cycle on a synthetic cluster, phase by phase, and one plain pass over the same
/// snapshot (every pod and node read once) as a yardstick: the ratio says how many "reads of the world" a
/// cycle costs.
/// </summary>
public static class CycleBenchmark
{
    public static Task<BenchmarkResult> RunAsync(int nodes, int pendingPods, int seed, SchedulerConfiguration configuration, double runningFill = 0, CancellationToken cancellationToken = default) =>
        RunAsync(nodes, pendingPods, seed, configuration, runningFill, SchedulerTelemetry.None, cancellationToken);

    /// <param name="telemetry">Where the scheduler logs and measures while it is timed.</param>
    public static async Task<BenchmarkResult> RunAsync(int nodes, int pendingPods, int seed, SchedulerConfiguration configuration, double runningFill, SchedulerTelemetry telemetry, CancellationToken cancellationToken = default)
    {
        var objects = SyntheticCluster.Generate(nodes, pendingPods, seed, runningFill);
        var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());

        var loadStart = Stopwatch.GetTimestamp();
        cluster.Load(objects);
        var load = Stopwatch.GetElapsedTime(loadStart);

        var cacheStart = Stopwatch.GetTimestamp();
        using var scheduler = await Scheduler.CreateAsync(cluster, configuration, KaiPlugins.Registry, clock, telemetry, cancellationToken).ConfigureAwait(false);
        var cacheFill = Stopwatch.GetElapsedTime(cacheStart);

        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var pauseBefore = GC.GetTotalPauseDuration();
        var outcome = await scheduler.RunCycleAsync(cancellationToken).ConfigureAwait(false);
        var allocatedDuring = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var gcPause = GC.GetTotalPauseDuration() - pauseBefore;
        await scheduler.FlushStatusAsync().ConfigureAwait(false);
        var statusWriteBack = scheduler.LastStatusWriteBack;
        int[] collections = [GC.CollectionCount(0) - collectionsBefore[0], GC.CollectionCount(1) - collectionsBefore[1], GC.CollectionCount(2) - collectionsBefore[2]];
        var heapAfter = GC.GetTotalMemory(forceFullCollection: false);

        var passStart = Stopwatch.GetTimestamp();
        var checksum = PlainPass(outcome);
        var pass = Stopwatch.GetElapsedTime(passStart);

        var binds = outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Bind);
        var evictions = outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Evict);
        var pipelines = outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Pipeline);
        return new BenchmarkResult(
            nodes,
            pendingPods,
            outcome.Snapshot.Groups.Count,
            seed,
            runningFill,
            binds,
            pipelines,
            evictions,
            load,
            cacheFill,
            outcome.Timings,
            pass,
            checksum,
            heapBefore,
            heapAfter,
            allocatedDuring,
            gcPause,
            collections,
            statusWriteBack,
            Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Reads every pod and node of the snapshot once; returns a checksum so the work cannot be skipped.</summary>
    private static long PlainPass(CycleOutcome outcome)
    {
        long sum = 0;
        foreach (var pod in outcome.Snapshot.Pods)
        {
            sum += pod.Request.Gpu + pod.Request.Cpu + (int)pod.Status + pod.Name.Length;
        }

        foreach (var node in outcome.Snapshot.Nodes)
        {
            sum += node.Allocatable.Gpu + node.Allocatable.Cpu + node.Name.Length;
        }

        return sum;
    }
}

/// <summary>The figures of one benchmark run.</summary>
public sealed record BenchmarkResult(
    int Nodes,
    int PendingPods,
    int PodGroups,
    int Seed,
    double RunningFill,
    int PodsBound,
    int PodsPipelined,
    int PodsEvicted,
    TimeSpan ClusterLoad,
    TimeSpan CacheFill,
    CycleTimings Cycle,
    TimeSpan PlainPass,
    long PlainPassChecksum,
    long HeapBeforeBytes,
    long HeapAfterBytes,
    long AllocatedDuringCycleBytes,
    TimeSpan GcPauseDuringCycle,
    IReadOnlyList<int> CollectionsDuringCycle,
    TimeSpan StatusWriteBackAfterCycle,
    long PeakWorkingSetBytes)
{
    public double PodsPlacedPerSecond => (PodsBound + PodsPipelined) / Math.Max(Cycle.Total.TotalSeconds, 1e-9);

    public double CycleToPassRatio => Cycle.Total.TotalMilliseconds / Math.Max(PlainPass.TotalMilliseconds, 1e-6);
}
