using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kai.Cli.Benchmarks;
using Kai.Cli.Logging;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Benchmarks;

namespace Kai.Cli.Commands;

/// <summary><c>kai bench</c>: time a scheduling cycle on a generated cluster.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var arguments = new BenchArguments();
        var command = new Command("bench", "Generate a cluster (nodes with 8 GPUs, pending or mostly running pods in a two-level queue tree) and time scheduling cycles by phase, with churn between them.");
        arguments.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, arguments, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, BenchArguments arguments, CancellationToken cancellationToken)
    {
        var configuration = SchedulerConfiguration.Default with { CycleGcBudgetMiB = parse.GetValue(arguments.CycleGcBudget) };
        if (parse.GetValue(arguments.Actions) is { } actionList)
        {
            if (!ActionList.TryParse(actionList, out var selected, out var error))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(error).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            configuration = configuration with { Actions = selected };
        }

        var throughApi = parse.GetValue(arguments.ThroughApi);
        if (OptionThatDoesNotApply(parse, arguments, throughApi) is { } misplaced)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(throughApi
                ? $"error: {misplaced} applies to the cycle bench only; --through-api measures one burst of pod creations and binds. Leave {misplaced} out, or drop --through-api."
                : $"error: {misplaced} applies with --through-api only. Add --through-api, or leave {misplaced} out.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return throughApi
            ? await RunThroughApiAsync(parse, arguments, configuration, cancellationToken).ConfigureAwait(false)
            : await RunCyclesAsync(parse, arguments, configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first option given on the command line that the chosen bench would ignore, or null: a figure taken without
    /// what the user asked for would be read as if it had been.
    /// </summary>
    private static string? OptionThatDoesNotApply(ParseResult parse, BenchArguments arguments, bool throughApi)
    {
        Option[] ignored = throughApi
            ? [arguments.Pods, arguments.Cycles, arguments.Churn, arguments.NodeChurn, arguments.RunningFill, arguments.Fractional, arguments.NoSetupCollection]
            : [arguments.SchedulePeriod, arguments.Clients, arguments.Http1];
        return ignored.FirstOrDefault(option => parse.GetResult(option) is { Implicit: false })?.Name;
    }

    /// <summary>The cluster created over HTTP on an in-process <c>kai serve</c>, scheduled by <c>kai run</c>'s components.</summary>
    private static async Task<int> RunThroughApiAsync(ParseResult parse, BenchArguments arguments, SchedulerConfiguration configuration, CancellationToken cancellationToken)
    {
        var periodText = parse.GetValue(arguments.SchedulePeriod)!;
        if (!Kai.Cluster.Crds.GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: --schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 200ms.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var logging = CommandLogging.Create(parse.InvocationConfiguration.Error, LogLevelOption.Parse(parse.GetValue(arguments.LogLevel)!));
        var settings = new ThroughApiSettings(parse.GetValue(arguments.Nodes), parse.GetValue(arguments.PendingPods), parse.GetValue(arguments.Seed), configuration, step.ToTimeSpan(), parse.GetValue(arguments.Clients))
        {
            Logging = logging.Factory,
            Http2 = !parse.GetValue(arguments.Http1),
        };
        var warmupRounds = 0;
        if (!parse.GetValue(arguments.NoWarmup))
        {
            // Small runs until the JIT goes quiet (JitWarmup): long enough for the hot paths (HTTP, JSON, watch, cache, engine) to be compiled at their optimised tier,
            // so that the figures are those of a scheduler that has been running, not of the JIT.
            var round = 0;
            warmupRounds = await JitWarmup.RunAsync(token => ThroughApiBenchmark.RunAsync(settings with { Nodes = 100, PendingPods = 1000, Seed = settings.Seed + round++ }, token), JitWarmup.DefaultPause, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var measured = await ThroughApiBenchmark.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        await parse.InvocationConfiguration.Output.WriteLineAsync(parse.IsJson(arguments.Output) ? ThroughApiJson(measured, warmupRounds) : ThroughApiTable(measured, warmupRounds)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Cycles of the engine on the embedded cluster, timed by phase (and, with fractions, the whole-GPU yardstick).</summary>
    private static async Task<int> RunCyclesAsync(ParseResult parse, BenchArguments arguments, SchedulerConfiguration configuration, CancellationToken cancellationToken)
    {
        var podCount = parse.GetValue(arguments.Pods);
        var pending = parse.GetValue(arguments.PendingPods);
        if (podCount > 0 && podCount < pending)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"--pods {podCount} is fewer than --pending-pods {pending}; the pending pods are part of all pods, so give --pods at least {pending}.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var spec = new BenchmarkSpec(parse.GetValue(arguments.Nodes), pending, parse.GetValue(arguments.Seed), parse.GetValue(arguments.RunningFill), podCount > 0 ? podCount : null, parse.GetValue(arguments.Cycles), parse.GetValue(arguments.Churn), parse.GetValue(arguments.Fractional), parse.GetValue(arguments.NodeChurn))
        {
            ClearsCardsBeforeTheCycles = !parse.GetValue(arguments.NoSetupCollection),
        };
        var warmupRounds = 0;
        if (!parse.GetValue(arguments.NoWarmup))
        {
            // Small runs of the same kind (three cycles when several are asked for), until the JIT has compiled the
            // optimised code of what the real run uses.
            var small = spec with { Nodes = 50, PendingPods = 400, Seed = 7, Pods = spec.Pods is null ? null : 1500, Cycles = Math.Min(spec.Cycles, 3) };
            warmupRounds = await JitWarmup.RunAsync(token => CycleBenchmark.RunAsync(small, configuration, token), JitWarmup.DefaultPause, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using var logging = CommandLogging.Create(parse.InvocationConfiguration.Error, LogLevelOption.Parse(parse.GetValue(arguments.LogLevel)!));
        var telemetry = new SchedulerTelemetry { LoggerFactory = logging.Factory };

        // With fractions, the whole-GPU cycle of the same cluster is the yardstick, timed in the same process.
        var wholeGpus = spec.Fractional > 0 ? await CycleBenchmark.RunAsync(spec with { Fractional = 0 }, configuration, telemetry, cancellationToken).ConfigureAwait(false) : null;
        var result = await CycleBenchmark.RunAsync(spec, configuration, telemetry, cancellationToken).ConfigureAwait(false);
        await parse.InvocationConfiguration.Output.WriteLineAsync(parse.IsJson(arguments.Output) ? Json(result, wholeGpus, warmupRounds) : Table(result, wholeGpus, warmupRounds)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Table(BenchmarkResult r, BenchmarkResult? wholeGpus, int warmupRounds)
    {
        var spec = r.Spec;
        var first = r.First;
        var lines = new List<string>
        {
            spec.Pods is null
                ? $"cluster: {spec.Nodes} nodes x {SyntheticCluster.GpusPerNode} GPUs, {spec.PendingPods} pending pods, {r.PodGroups} pod groups, {spec.RunningFill:P0} of GPUs running before the cycle (seed {spec.Seed})"
                : $"cluster: {spec.Nodes} nodes x {SyntheticCluster.GpusPerNode} GPUs, {r.Pods} pods of which {spec.PendingPods} pending, {r.PodGroups} pod groups (seed {spec.Seed})",
            $"setup (not in the cycle): load {Ms(r.ClusterLoad)}, cache fill {Ms(r.CacheFill)}",
            $"first cycle: {Ms(first.Timings.Total)}",
            $"  sync        {Ms(first.Timings.Sync)}",
            $"  snapshot    {Ms(first.Timings.Snapshot)}",
            $"  session     {Ms(first.Timings.Session)} (books and node index)",
        };
        lines.AddRange(first.Timings.Plugins.Select(p => $"    {p.Plugin,-9} {Ms(p.Duration)} (session open)"));
        lines.AddRange(first.Timings.Actions.Select(a => $"  {ActionNames.Of(a.Action),-11} {Ms(a.Duration)}"));
        lines.Add($"  result      {Ms(first.Timings.Result)} (decisions, explanations, queue figures)");
        lines.Add($"  write-back  {Ms(first.Timings.WriteBack)} (bind requests, evictions, annotations)");
        lines.Add($"after the cycle: status updates (events, conditions) {Ms(first.Status)}");
        lines.Add($"placed: {first.Bound} bound + {first.Pipelined} pipelined = {r.PodsPlacedPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s; {first.Evicted} evicted");
        if (r.Cycles.Count > 1)
        {
            lines.Add($"steady cycle (median of {r.Cycles.Count - 1} after the first, churn {spec.Churn:P1}{(spec.NodeChurn > 0 ? $", node churn {spec.NodeChurn:P1}" : "")}): {Ms(r.SteadyCycle)}; "
                + string.Join(", ", r.SteadyPhases.Select(p => $"{p.Phase} {Ms(p.Median)}"))
                + $"; status after it {Ms(r.SteadyStatus)}");
        }

        lines.Add($"processor time: first cycle {Ms(first.CpuTime)}, steady cycle {Ms(r.SteadyCpu)} (all threads; far steadier than elapsed time on a busy machine)");
        lines.Add($"JIT: {warmupRounds} warm-up rounds before the run (0: --no-warmup); during the first cycle {first.JitMethods:N0} methods compiled in {Ms(first.JitTime)}, during a steady cycle {Ms(r.SteadyJitTime)}");
        lines.Add($"decisions of all cycles: digest {r.DecisionDigest}");
        lines.Add($"after the last cycle: {r.Last.BelowFairShare.Queues} leaf queues with pending GPU requests below their GPU fair share, lacking {r.Last.BelowFairShare.Gpus.ToString("N1", CultureInfo.InvariantCulture)} GPUs in all");
        lines.Add($"plain pass over the snapshot: {Ms(r.PlainPass)}; first cycle / pass = {r.CycleToPassRatio.ToString("N0", CultureInfo.InvariantCulture)}x");
        lines.Add($"memory: heap {Mb(r.HeapBeforeBytes)} before, {Mb(r.HeapAfterBytes)} after the first cycle, {Mb(r.HeapAtEndBytes)} at the end ({r.BytesPerPod.ToString("N0", CultureInfo.InvariantCulture)} bytes per pod); {Mb(first.AllocatedBytes)} allocated during the first cycle; peak working set {Mb(r.PeakWorkingSetBytes)}");
        lines.Add($"garbage collection during the first cycle: {Ms(first.GcPause)} paused; collections gen0 {first.Collections[0]}, gen1 {first.Collections[1]}, gen2 {first.Collections[2]}");
        if (wholeGpus is not null)
        {
            lines.Add($"fractional: {spec.Fractional:P0} of the pending one-GPU pods ask for a fraction; the same cluster with whole GPUs only: first cycle {Ms(wholeGpus.First.Timings.Total)} ({wholeGpus.First.Bound} bound + {wholeGpus.First.Pipelined} pipelined); fractional / whole = {(first.Timings.Total / wholeGpus.First.Timings.Total).ToString("0.00", CultureInfo.InvariantCulture)}x");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string ThroughApiTable(ThroughApiResult r, int warmupRounds)
    {
        var s = r.Settings;
        var busy = r.Cycles.Where(c => c.Binds > 0).ToList();
        var lines = new List<string>
        {
            $"through the API: {s.Nodes} nodes x {SyntheticCluster.GpusPerNode} GPUs, {s.PendingPods} pending pods, kai run's components over loopback (schedule period {s.SchedulePeriod.TotalMilliseconds:0} ms, {s.Clients} API clients creating, {(s.Http2 ? "HTTP/2 with prior knowledge" : "HTTP/1.1")})",
            $"setup (nodes, queues, priority classes through the API): {Ms(r.Setup)}",
            $"created: {r.PodsCreated:N0} pods (and their pod groups) in {Ms(r.Creation)} = {r.PodsCreatedPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s",
            $"bound: {r.PodsBound:N0} pods, first creation to last binding {Ms(r.FirstCreatedToLastBound)} = {r.PodsBoundPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s end to end",
            $"latency, creation to spec.nodeName: median {Ms(r.LatencyMedian)}, p99 {Ms(r.LatencyP99)}",
            $"CPU: {Ms(r.ProcessorTime)} for the whole process from the first creation (server, components, clients) = {r.ProcessorTimePerPod.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms per bound pod on {Environment.ProcessorCount} cores",
            $"cycles: {r.Cycles.Count} ({busy.Count} placed pods); cycles that placed pods: mean {Ms(Mean(busy.Select(c => c.Timings.Total)))}, max {Ms(busy.Select(c => c.Timings.Total).DefaultIfEmpty().Max())}",
            $"  mean sync {Ms(Mean(busy.Select(c => c.Timings.Sync)))}, snapshot {Ms(Mean(busy.Select(c => c.Timings.Snapshot)))}, actions {Ms(Mean(busy.Select(c => c.Timings.Actions.Aggregate(TimeSpan.Zero, (t, a) => t + a.Duration))))}, write-back (bind requests) {Ms(Mean(busy.Select(c => c.Timings.WriteBack)))}",
            $"JIT: {warmupRounds} warm-up rounds before the run (0: --no-warmup); tier-1 call counting delay {CallCountingDelay()} (the image sets DOTNET_TC_CallCountingDelayMs=0)",
            $"garbage: {Mb(r.Counters.AllocatedBytes)} allocated ({PerPod(r.Counters.AllocatedBytes, r.PodsBound)} bytes per bound pod, {PerPod(r.Counters.AllocatedBytes, r.RequestCount)} per API request), {Ms(r.Counters.Pause)} paused; collections gen0 {r.Counters.Gen0}, gen1 {r.Counters.Gen1}, gen2 {r.Counters.Gen2}",
            $"API requests per bound pod: {r.RequestsPerPod.Sum(q => q.PerPod).ToString("0.00", CultureInfo.InvariantCulture)} ({string.Join(", ", r.RequestsPerPod.Where(q => q.PerPod >= 0.005).Select(q => $"{q.Request} {q.PerPod.ToString("0.00", CultureInfo.InvariantCulture)}"))})",
            $"events stored (objects / occurrences): {string.Join(", ", r.Events.Select(e => $"{e.Kind} {e.Reason} {e.Objects:N0}/{e.Occurrences:N0}"))}",
        };
        return string.Join(Environment.NewLine, lines);
    }

    private static string ThroughApiJson(ThroughApiResult r, int warmupRounds)
    {
        var figures = new Dictionary<string, object>
        {
            ["nodes"] = r.Settings.Nodes,
            ["pendingPods"] = r.Settings.PendingPods,
            ["seed"] = r.Settings.Seed,
            ["schedulePeriodMs"] = r.Settings.SchedulePeriod.TotalMilliseconds,
            ["clients"] = r.Settings.Clients,
            ["warmupRounds"] = warmupRounds,
            ["http"] = r.Settings.Http2 ? "2 (prior knowledge)" : "1.1",
            ["setupMs"] = r.Setup.TotalMilliseconds,
            ["creationMs"] = r.Creation.TotalMilliseconds,
            ["podsCreated"] = r.PodsCreated,
            ["podsCreatedPerSecond"] = r.PodsCreatedPerSecond,
            ["podsBound"] = r.PodsBound,
            ["firstCreatedToLastBoundMs"] = r.FirstCreatedToLastBound.TotalMilliseconds,
            ["podsBoundPerSecond"] = r.PodsBoundPerSecond,
            ["latencyMedianMs"] = r.LatencyMedian.TotalMilliseconds,
            ["latencyP99Ms"] = r.LatencyP99.TotalMilliseconds,
            ["processorMs"] = r.ProcessorTime.TotalMilliseconds,
            ["processorMsPerPod"] = r.ProcessorTimePerPod.TotalMilliseconds,
            ["callCountingDelayMs"] = CallCountingDelay(),
            ["processorMsPerRequest"] = r.RequestCount == 0 ? 0 : r.ProcessorTime.TotalMilliseconds / r.RequestCount,
            ["allocatedBytesPerPod"] = r.PodsBound == 0 ? 0 : r.Counters.AllocatedBytes / r.PodsBound,
            ["allocatedBytesPerRequest"] = r.RequestCount == 0 ? 0 : r.Counters.AllocatedBytes / r.RequestCount,
            ["gcPauseMs"] = r.Counters.Pause.TotalMilliseconds,
            ["collections"] = $"{r.Counters.Gen0} {r.Counters.Gen1} {r.Counters.Gen2}",
            ["cycles"] = r.Cycles.Count,
            ["requestsPerPod"] = r.RequestsPerPod.ToDictionary(q => q.Request, q => (object)Math.Round(q.PerPod, 3), StringComparer.Ordinal),
            ["events"] = r.Events.ToDictionary(e => $"{e.Kind}/{e.Reason}", e => (object)e.Objects, StringComparer.Ordinal),
            ["cycleMs"] = string.Join(' ', r.Cycles.Where(c => c.Binds > 0).Select(c => c.Timings.Total.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture))),
        };
        return JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject);
    }

    private static TimeSpan Mean(IEnumerable<TimeSpan> spans)
    {
        var list = spans.ToList();
        return list.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)list.Average(s => s.Ticks));
    }

    /// <summary>
    /// The node churn asked for, and the steady cycles' garbage: median bytes allocated and collector pause per cycle,
    /// collections of each generation in all.
    /// </summary>
    private static void AddNodeChurnAndSteadyGarbage(Dictionary<string, object> figures, BenchmarkResult r)
    {
        figures["nodeChurn"] = r.Spec.NodeChurn;
        figures["steadyAllocatedBytes"] = r.SteadyAllocatedBytes;
        figures["steadyGcPauseMs"] = r.SteadyGcPause.TotalMilliseconds;
        figures["steadyGcCollections"] = string.Join('/', Enumerable.Range(0, 3).Select(g => r.Steady.Sum(c => c.Collections[g])));
    }

    /// <summary>With fractions: the same cluster's cycle with whole GPUs only, and the ratio of the two.</summary>
    private static void AddWholeGpuYardstick(Dictionary<string, object> figures, BenchmarkResult r, BenchmarkResult? wholeGpus)
    {
        if (wholeGpus is not null)
        {
            figures["wholeGpuCycleMs"] = wholeGpus.First.Timings.Total.TotalMilliseconds;
            figures["fractionalToWholeRatio"] = r.First.Timings.Total / wholeGpus.First.Timings.Total;
        }
    }

    /// <summary>The fairness outcome after the last cycle: leaf queues with pending GPU requests below their GPU fair share, and what they lack.</summary>
    private static void AddFairness(Dictionary<string, object> figures, BenchmarkResult r)
    {
        figures["queuesBelowFairShare"] = r.Last.BelowFairShare.Queues;
        figures["gpusBelowFairShare"] = r.Last.BelowFairShare.Gpus;
    }

    /// <summary>The warm-up's rounds and what the JIT compiled during the cycles (much of it the optimised tier, in the background).</summary>
    private static void AddJit(Dictionary<string, object> figures, BenchmarkResult r, int warmupRounds)
    {
        figures["warmupRounds"] = warmupRounds;
        figures["firstCycleJitMethods"] = r.First.JitMethods;
        figures["firstCycleJitMs"] = r.First.JitTime.TotalMilliseconds;
        figures["steadyCycleJitMs"] = r.SteadyJitTime.TotalMilliseconds;
    }

    private static string Json(BenchmarkResult r, BenchmarkResult? wholeGpus, int warmupRounds)
    {
        var spec = r.Spec;
        var first = r.First;
        var figures = new Dictionary<string, object>
        {
            ["nodes"] = spec.Nodes,
            ["pods"] = r.Pods,
            ["pendingPods"] = spec.PendingPods,
            ["podGroups"] = r.PodGroups,
            ["seed"] = spec.Seed,
            ["cycles"] = r.Cycles.Count,
            ["churn"] = spec.Churn,
            ["podsBound"] = first.Bound,
            ["podsPipelined"] = first.Pipelined,
            ["podsEvicted"] = first.Evicted,
            ["runningFill"] = spec.RunningFill,
            ["clusterLoadMs"] = r.ClusterLoad.TotalMilliseconds,
            ["cacheFillMs"] = r.CacheFill.TotalMilliseconds,
            ["cycleMs"] = first.Timings.Total.TotalMilliseconds,
            ["syncMs"] = first.Timings.Sync.TotalMilliseconds,
            ["snapshotMs"] = first.Timings.Snapshot.TotalMilliseconds,
            ["sessionMs"] = first.Timings.Session.TotalMilliseconds,
            ["pluginsMs"] = first.Timings.Plugins.ToDictionary(p => p.Plugin, p => p.Duration.TotalMilliseconds),
            ["openSessionMs"] = first.Timings.OpenSession.TotalMilliseconds,
            ["resultMs"] = first.Timings.Result.TotalMilliseconds,
            ["closeSessionMs"] = first.Timings.CloseSession.TotalMilliseconds,
            ["actionsMs"] = first.Timings.Actions.ToDictionary(a => ActionNames.Of(a.Action), a => a.Duration.TotalMilliseconds),
            ["writeBackMs"] = first.Timings.WriteBack.TotalMilliseconds,
            ["statusAfterCycleMs"] = first.Status.TotalMilliseconds,
            ["firstCycleMs"] = first.Timings.Total.TotalMilliseconds,
            ["steadyCycleMs"] = r.SteadyCycle.TotalMilliseconds,
            ["steadyPhaseMs"] = r.SteadyPhases.ToDictionary(p => p.Phase, p => p.Median.TotalMilliseconds),
            ["statusMs"] = r.SteadyStatus.TotalMilliseconds,
            ["firstCycleCpuMs"] = first.CpuTime.TotalMilliseconds,
            ["steadyCycleCpuMs"] = r.SteadyCpu.TotalMilliseconds,
            ["cyclesMs"] = r.Cycles.Select(c => c.Timings.Total.TotalMilliseconds).ToArray(),
            ["steadyDecisions"] = r.Steady.Sum(c => c.Bound + c.Pipelined + c.Evicted),
            ["decisionDigest"] = r.DecisionDigest,
            ["podsPlacedPerSecond"] = r.PodsPlacedPerSecond,
            ["plainPassMs"] = r.PlainPass.TotalMilliseconds,
            ["cycleToPassRatio"] = r.CycleToPassRatio,
            ["heapBeforeBytes"] = r.HeapBeforeBytes,
            ["heapAfterBytes"] = r.HeapAfterBytes,
            ["heapAtEndBytes"] = r.HeapAtEndBytes,
            ["bytesPerPod"] = r.BytesPerPod,
            ["allocatedDuringCycleBytes"] = first.AllocatedBytes,
            ["peakWorkingSetBytes"] = r.PeakWorkingSetBytes,
            ["gcPauseMs"] = first.GcPause.TotalMilliseconds,
            ["gcCollections"] = string.Join('/', first.Collections),
            ["setupCardCollectionMs"] = r.CardCollectionPause.TotalMilliseconds,
            ["fractional"] = spec.Fractional,
        };
        AddNodeChurnAndSteadyGarbage(figures, r);
        AddJit(figures, r, warmupRounds);
        AddFairness(figures, r);
        AddWholeGpuYardstick(figures, r, wholeGpus);
        figures["memoryTimeline"] = MemoryTimelineJson(r);
        return JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject);
    }

    /// <summary>The memory marks after each phase, in MB (see <see cref="MemoryTimeline"/>): when the peak working set was reached.</summary>
    private static List<Dictionary<string, object>> MemoryTimelineJson(BenchmarkResult r) =>
        r.MemoryTimeline.Select(m => new Dictionary<string, object>
        {
            ["phase"] = m.Phase,
            ["workingSetMb"] = MbValue(m.WorkingSetBytes),
            ["peakWorkingSetMb"] = MbValue(m.PeakWorkingSetBytes),
            ["heapMb"] = MbValue(m.HeapBytes),
            ["committedAtLastCollectionMb"] = MbValue(m.CommittedBytes),
            ["largeObjectHeapAtLastCollectionMb"] = MbValue(m.LargeObjectHeapBytes),
            ["gen2Collections"] = m.Gen2Collections,
            ["gen1Collections"] = m.Gen1Collections,
            ["gen0Collections"] = m.Gen0Collections,
            ["gcPauseMs"] = Math.Round(m.GcPauseMs, 1),
            ["lastCollectionGeneration"] = m.LastCollectedGeneration,
            ["lastCollectionPromotedMb"] = MbValue(m.LastPromotedBytes),
        }).ToList();

    private static double MbValue(long bytes) => Math.Round(bytes / 1048576.0, 1);

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";

    /// <summary>The runtime's tier-1 call counting delay this process runs with: the variable's value, or the runtime's default.</summary>
    private static string CallCountingDelay() =>
        Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") is { } value ? $"0x{value} ms (DOTNET_TC_CallCountingDelayMs, read as hexadecimal)" : "100 ms (the runtime's default)";

    private static string PerPod(long total, long count) => count == 0 ? "0" : (total / count).ToString("N0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => $"{(bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture)} MB";
}
