using System.Diagnostics;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Time;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// Times scheduling cycles on a synthetic cluster, phase by phase (with churn between them), and one plain pass over the same
/// snapshot (every pod and node read once) as a yardstick: the ratio says how many "reads of the world" a
/// cycle costs.
/// </summary>
public static class CycleBenchmark
{
    /// <summary>Simulated time between two cycles.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static Task<BenchmarkResult> RunAsync(int nodes, int pendingPods, int seed, SchedulerConfiguration configuration, double runningFill = 0, CancellationToken cancellationToken = default) =>
        RunAsync(new BenchmarkSpec(nodes, pendingPods, seed, runningFill), configuration, SchedulerTelemetry.None, cancellationToken);

    public static Task<BenchmarkResult> RunAsync(BenchmarkSpec spec, SchedulerConfiguration configuration, CancellationToken cancellationToken = default) =>
        RunAsync(spec, configuration, SchedulerTelemetry.None, cancellationToken);

    /// <param name="spec">The cluster and cycles to time.</param>
    /// <param name="configuration">The scheduler's configuration.</param>
    /// <param name="telemetry">Where the scheduler logs and measures while it is timed.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<BenchmarkResult> RunAsync(BenchmarkSpec spec, SchedulerConfiguration configuration, SchedulerTelemetry telemetry, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Cycles, 1);
        var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        var memory = new MemoryTimeline();
        memory.Mark("start");
        var loadStart = Stopwatch.GetTimestamp();
        var podCount = Load(cluster, spec);
        var load = Stopwatch.GetElapsedTime(loadStart);
        memory.Mark("load");

        var cacheStart = Stopwatch.GetTimestamp();
        using var scheduler = await Scheduler.CreateAsync(cluster, configuration, KaiPlugins.Registry, clock, EvictionMode.Delete, telemetry, cancellationToken).ConfigureAwait(false);
        var cacheFill = Stopwatch.GetElapsedTime(cacheStart);
        memory.Mark("cacheFill");
        using var binder = await Binder.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var nodesPerCycle = (int)Math.Round(spec.Nodes * spec.NodeChurn);
        var between = new BetweenCycles(
            clock,
            binder,
            new SimulatedKubelet(cluster, clock),
            await PodChurn.CreateAsync(cluster, spec.Seed, cancellationToken).ConfigureAwait(false),
            nodesPerCycle > 0 ? await NodeChurn.CreateAsync(cluster, spec.Seed + 2, cancellationToken).ConfigureAwait(false) : null,
            (int)Math.Round(podCount * spec.Churn),
            nodesPerCycle);

        memory.Mark("components");
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var cardCollection = ClearCards(spec);
        memory.Mark("collected");
        var cycles = new List<CycleFigures>(spec.Cycles);
        (int Groups, TimeSpan Pass, long Checksum, long HeapAfter)? first = null;
        for (var c = 1; c <= spec.Cycles; c++)
        {
            if (c > 1)
            {
                await between.RunAsync(memory, c, cancellationToken).ConfigureAwait(false);
            }

            var (figures, outcome) = await TimeCycleAsync(scheduler, memory, c, cancellationToken).ConfigureAwait(false);
            cycles.Add(figures);

            // The plain pass reads the first cycle's snapshot now, so that the snapshot is not kept alive (and counted
            // in the peak working set) through the cycles after it.
            first ??= FirstCycleFigures(outcome);
        }

        var heapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        memory.Mark("end");
        var (groups, pass, checksum, heapAfterFirst) = first!.Value;

        return new BenchmarkResult(spec, podCount, groups, load, cacheFill, cycles, pass, checksum, heapBefore, heapAfterFirst, heapAtEnd, Process.GetCurrentProcess().PeakWorkingSet64)
        {
            MemoryTimeline = memory.Marks,
            CardCollectionPause = cardCollection,
        };
    }

    /// <summary>
    /// One first-generation collection after the setup's full ones; returns its pause. A full collection does not clean
    /// the card table (the marks the write barrier left on old objects that were given young references): only a young
    /// collection's scan of the marked cards does. The load and the cache fill mark cards all over the old generation,
    /// and the full collections add marks for what they promote, so the first young collection after them scanned ~170 MB
    /// of old objects for ~40–50 ms and found nothing young (docs/performance.md, "Twentieth pass"). That debt is the
    /// setup's: a scheduler that has been running pays, in a cycle, only for the cards marked since its last young
    /// collection. Without this collection the first cycle paid it inside its own (reclaim's, at 4,000 nodes).
    /// </summary>
    private static TimeSpan ClearCards(BenchmarkSpec spec)
    {
        if (!spec.ClearsCardsBeforeTheCycles)
        {
            return TimeSpan.Zero;
        }

        var before = GC.GetTotalPauseDuration();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return GC.GetTotalPauseDuration() - before;
    }

    /// <summary>What runs between two cycles, in this order: the binder, the kubelet, the pod churn and the node churn.</summary>
    private sealed record BetweenCycles(SimulatedClock Clock, Binder Binder, SimulatedKubelet Kubelet, PodChurn Churn, NodeChurn? NodeChurn, int PodsPerCycle, int NodesPerCycle)
    {
        /// <summary>Advances the clock by <see cref="Interval"/> and runs each, marking the memory after each (before cycle <paramref name="cycle"/>).</summary>
        public async Task RunAsync(MemoryTimeline memory, int cycle, CancellationToken cancellationToken)
        {
            Clock.Advance(Interval);
            await Binder.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            memory.Mark($"binder {cycle}");
            await Kubelet.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            memory.Mark($"kubelet {cycle}");
            await Churn.RunOnceAsync(PodsPerCycle, Clock.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            if (NodeChurn is not null)
            {
                await NodeChurn.RunOnceAsync(NodesPerCycle, Clock.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            }

            memory.Mark($"churn {cycle}");
        }
    }

    /// <summary>What the result keeps of the first cycle: its pod groups, the plain pass over its snapshot, the heap after it.</summary>
    private static (int Groups, TimeSpan Pass, long Checksum, long HeapAfter) FirstCycleFigures(CycleOutcome outcome)
    {
        var heapAfter = GC.GetTotalMemory(forceFullCollection: false);
        var passStart = Stopwatch.GetTimestamp();
        var checksum = PlainPass(outcome);
        return (outcome.Snapshot.Groups.Count, Stopwatch.GetElapsedTime(passStart), checksum, heapAfter);
    }

    /// <summary>One cycle with its figures: elapsed and processor time, garbage, decisions, then the status written after it.</summary>
    private static async Task<(CycleFigures Figures, CycleOutcome Outcome)> TimeCycleAsync(Scheduler scheduler, MemoryTimeline memory, int cycle, CancellationToken cancellationToken)
    {
        var before = ProcessCounters.Now(preciseAllocation: true);
        var outcome = await scheduler.RunCycleAsync(cancellationToken).ConfigureAwait(false);
        var used = ProcessCounters.Now(preciseAllocation: true) - before;
        memory.Mark($"cycle {cycle}");
        await scheduler.FlushStatusAsync().ConfigureAwait(false);
        memory.Mark($"status {cycle}");
        var figures = new CycleFigures(
            outcome.Timings,
            scheduler.LastStatusWriteBack,
            outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Bind),
            outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Pipeline),
            outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Evict),
            used.AllocatedBytes,
            used.Pause,
            [used.Gen0, used.Gen1, used.Gen2],
            Digest(outcome.Result.Decisions),
            used.ProcessorTime,
            FairShareShortfall.Of(outcome.Result.Queues),
            used.JitMethods,
            used.JitTime);
        return (figures, outcome);
    }

    /// <summary>Loads the generated cluster; returns how many pods it has.</summary>
    private static int Load(EmbeddedCluster cluster, BenchmarkSpec spec)
    {
        if (spec.Pods is { } pods)
        {
            var mixed = MixedCluster.Generate(spec.Nodes, pods, spec.PendingPods, spec.Seed);
            cluster.Load(mixed.Objects);
            return pods;
        }

        var objects = SyntheticCluster.Generate(spec.Nodes, spec.PendingPods, spec.Seed, spec.RunningFill, fractional: spec.Fractional);
        cluster.Load(objects);
        return objects.Count(o => o is k8s.Models.V1Pod);
    }

    /// <summary>An FNV-1a hash of the decisions (action, kind, pod, node) in order: two builds that decide the same print the same.</summary>
    private static ulong Digest(IEnumerable<SchedulingDecision> decisions)
    {
        var hash = 14695981039346656037UL;
        foreach (var d in decisions)
        {
            foreach (var ch in $"{d.Action}|{d.Kind}|{d.Pod}|{d.Node}|{d.Preemptor};")
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }
        }

        return hash;
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

/// <summary>
/// What to benchmark: <see cref="Nodes"/> nodes with 8 GPUs; without <see cref="Pods"/>, <see cref="PendingPods"/>
/// pending gangs in 36 queues and <see cref="RunningFill"/> of the GPUs held by running gangs; with it, a mixed
/// cluster (<see cref="MixedCluster"/>) of that many pods of which <see cref="PendingPods"/> are pending.
/// <see cref="Cycles"/> cycles run; between two, a share <see cref="Churn"/> of the pods finish and as many arrive,
/// and a share <see cref="NodeChurn"/> of the nodes post a status update (mostly heartbeats, see
/// <see cref="Benchmarks.NodeChurn"/>).
/// </summary>
public sealed record BenchmarkSpec(int Nodes, int PendingPods, int Seed, double RunningFill = 0, int? Pods = null, int Cycles = 1, double Churn = 0, double Fractional = 0, double NodeChurn = 0)
{
    /// <summary>
    /// Whether the setup ends with a young collection after its full ones (<see cref="CycleBenchmark"/>'s card
    /// collection); false leaves that collection to the first cycle, as the bench did until 2026-12-08 (for tests and
    /// measurements).
    /// </summary>
    public bool ClearsCardsBeforeTheCycles { get; init; } = true;
}

/// <summary>
/// The figures of one cycle: its phases, the status written after it, its decisions, its garbage, a digest of its
/// decisions, the processor time the process used during it (all threads, garbage collection included), the leaf
/// queues it left below their GPU fair share, and the methods the JIT compiled during it and the time that took (on any
/// thread: the optimised tier is compiled in the background).
/// </summary>
public sealed record CycleFigures(
    CycleTimings Timings,
    TimeSpan Status,
    int Bound,
    int Pipelined,
    int Evicted,
    long AllocatedBytes,
    TimeSpan GcPause,
    IReadOnlyList<int> Collections,
    ulong DecisionDigest,
    TimeSpan CpuTime,
    FairShareShortfall BelowFairShare,
    long JitMethods = 0,
    TimeSpan JitTime = default);

/// <summary>The figures of one benchmark run.</summary>
public sealed record BenchmarkResult(
    BenchmarkSpec Spec,
    int Pods,
    int PodGroups,
    TimeSpan ClusterLoad,
    TimeSpan CacheFill,
    IReadOnlyList<CycleFigures> Cycles,
    TimeSpan PlainPass,
    long PlainPassChecksum,
    long HeapBeforeBytes,
    long HeapAfterBytes,
    long HeapAtEndBytes,
    long PeakWorkingSetBytes)
{
    /// <summary>The process's memory after each phase of the run (see <see cref="Benchmarks.MemoryTimeline"/>).</summary>
    public IReadOnlyList<MemoryMark> MemoryTimeline { get; init; } = [];

    /// <summary>
    /// The pause of the young collection that ends the setup, before the first cycle (zero when it did not run): it
    /// scans the card table the load, the cache fill and the full collections left, so that the first cycle does not.
    /// </summary>
    public TimeSpan CardCollectionPause { get; init; }

    public CycleFigures First => Cycles[0];

    public CycleFigures Last => Cycles[^1];

    /// <summary>The cycles after the first (the first alone when there is one).</summary>
    public IReadOnlyList<CycleFigures> Steady => Cycles.Count > 1 ? Cycles.Skip(1).ToList() : Cycles;

    public TimeSpan SteadyCycle => Median(Steady.Select(c => c.Timings.Total));

    public TimeSpan SteadyStatus => Median(Steady.Select(c => c.Status));

    /// <summary>Processor time of the steady cycles (median): on a shared machine it varies far less than their elapsed time.</summary>
    public TimeSpan SteadyCpu => Median(Steady.Select(c => c.CpuTime));

    /// <summary>Time the JIT spent compiling during the steady cycles (median; on any thread).</summary>
    public TimeSpan SteadyJitTime => Median(Steady.Select(c => c.JitTime));

    /// <summary>Median bytes allocated per steady cycle.</summary>
    public long SteadyAllocatedBytes => Median(Steady.Select(c => c.AllocatedBytes));

    /// <summary>Median garbage-collector pause per steady cycle.</summary>
    public TimeSpan SteadyGcPause => Median(Steady.Select(c => c.GcPause));

    /// <summary>Median of each phase over the steady cycles: sync, snapshot, each action, write-back.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Median)> SteadyPhases
    {
        get
        {
            var phases = new List<(string, TimeSpan)>
            {
                ("sync", Median(Steady.Select(c => c.Timings.Sync))),
                ("snapshot", Median(Steady.Select(c => c.Timings.Snapshot))),
            };
            foreach (var (action, _) in First.Timings.Actions)
            {
                phases.Add((action.ToString().ToLowerInvariant(), Median(Steady.Select(c => c.Timings.Actions.FirstOrDefault(a => a.Action == action).Duration))));
            }

            phases.Add(("writeBack", Median(Steady.Select(c => c.Timings.WriteBack))));
            return phases;
        }
    }

    /// <summary>A hash of every cycle's decisions: equal for two runs that decided the same.</summary>
    public string DecisionDigest => Cycles.Aggregate(17UL, (h, c) => (h * 31) + c.DecisionDigest).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Managed heap after the last cycle per pod of the cluster.</summary>
    public long BytesPerPod => HeapAtEndBytes / Math.Max(Pods, 1);

    public double PodsPlacedPerSecond => (First.Bound + First.Pipelined) / Math.Max(First.Timings.Total.TotalSeconds, 1e-9);

    public double CycleToPassRatio => First.Timings.Total.TotalMilliseconds / Math.Max(PlainPass.TotalMilliseconds, 1e-6);

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static long Median(IEnumerable<long> values) => Median(values.Select(TimeSpan.FromTicks)).Ticks;
}
