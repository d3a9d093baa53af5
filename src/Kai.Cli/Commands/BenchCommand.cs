using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kai.Cli.Benchmarks;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Benchmarks;

namespace Kai.Cli.Commands;

/// <summary><c>kai bench</c>: time a scheduling cycle on a generated cluster.</summary>
internal static class BenchCommand
{
    /// <summary>Bounds that keep a mistyped size from exhausting memory (a 100,000-node cluster is 20x the largest benchmarked).</summary>
    private const int MaxNodes = 100_000;
    private const int MaxPendingPods = 1_000_000;

    public static Command Create()
    {
        var nodes = NumberOptions.WholeNumber("--nodes", $"Nodes (8 GPUs each), 1 to {MaxNodes}.", 1000, 1, MaxNodes);
        var pending = NumberOptions.WholeNumber("--pending-pods", $"Pending pods, in gangs of 1–16 (0 to {MaxPendingPods}).", 10_000, 0, MaxPendingPods);
        var seed = NumberOptions.WholeNumber("--seed", "Seed of the generated cluster (0 or more).", 1, 0);
        var warmup = new Option<bool>("--no-warmup") { Description = "Skip the small warm-up run that takes JIT compilation out of the figures." };
        var output = OutputOption.Create();
        var fill = NumberOptions.Number("--running-fill", "Share of GPUs (0 to 1) already held by running gangs before the cycle, mostly by a few teams: 1 benchmarks reclaim, preempt and consolidation on a full cluster.", 0, 0, 1);
        var actions = new Option<string?>("--actions") { Description = $"Comma-separated actions to time (default: all of {ActionNames.All})." };
        var throughApi = new Option<bool>("--through-api") { Description = "Create the cluster through the HTTP API of an in-process kai serve and schedule it with kai run's components over loopback; report pods bound per second end to end." };
        var period = new Option<string>("--schedule-period") { Description = "With --through-api: time between scheduling cycles.", DefaultValueFactory = _ => "1s" };
        var clients = NumberOptions.WholeNumber("--clients", "With --through-api: concurrent API clients creating the cluster (1 to 256).", 16, 1, 256);

        var command = new Command("bench", "Generate a cluster (nodes with 8 GPUs, pending gangs in a two-level queue tree) and time one scheduling cycle by phase.")
        {
            nodes, pending, seed, warmup, output, actions, fill, throughApi, period, clients,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var configuration = SchedulerConfiguration.Default;
            if (parse.GetValue(actions) is { } actionList)
            {
                if (!ActionList.TryParse(actionList, out var selected, out var error))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(error).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                configuration = configuration with { Actions = selected };
            }

            if (parse.GetValue(throughApi))
            {
                var periodText = parse.GetValue(period)!;
                if (!Kai.Cluster.Crds.GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: --schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 200ms.").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                var settings = new ThroughApiSettings(parse.GetValue(nodes), parse.GetValue(pending), parse.GetValue(seed), configuration, step.ToTimeSpan(), parse.GetValue(clients));
                if (!parse.GetValue(warmup))
                {
                    // Long enough for the hot paths (HTTP, JSON, watch, cache, engine) to be compiled at their optimised tier,
                    // so that the figures are those of a scheduler that has been running, not of the JIT.
                    await ThroughApiBenchmark.RunAsync(settings with { Nodes = 100, PendingPods = 1000 }, cancellationToken).ConfigureAwait(false);
                    await ThroughApiBenchmark.RunAsync(settings with { Nodes = 100, PendingPods = 1000, Seed = settings.Seed + 1 }, cancellationToken).ConfigureAwait(false);
                }

                var measured = await ThroughApiBenchmark.RunAsync(settings, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(parse.IsJson(output) ? ThroughApiJson(measured) : ThroughApiTable(measured)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            if (!parse.GetValue(warmup))
            {
                await CycleBenchmark.RunAsync(50, 400, seed: 7, configuration, parse.GetValue(fill), cancellationToken).ConfigureAwait(false);
            }

            var result = await CycleBenchmark.RunAsync(parse.GetValue(nodes), parse.GetValue(pending), parse.GetValue(seed), configuration, parse.GetValue(fill), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(parse.IsJson(output) ? Json(result) : Table(result)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Table(BenchmarkResult r)
    {
        var lines = new List<string>
        {
            $"cluster: {r.Nodes} nodes x {SyntheticCluster.GpusPerNode} GPUs, {r.PendingPods} pending pods, {r.PodGroups} pod groups, {r.RunningFill:P0} of GPUs running before the cycle (seed {r.Seed})",
            $"setup (not in the cycle): load {Ms(r.ClusterLoad)}, cache fill {Ms(r.CacheFill)}",
            $"cycle: {Ms(r.Cycle.Total)}",
            $"  sync        {Ms(r.Cycle.Sync)}",
            $"  snapshot    {Ms(r.Cycle.Snapshot)}",
        };
        lines.AddRange(r.Cycle.Actions.Select(a => $"  {ActionNames.Of(a.Action),-11} {Ms(a.Duration)}"));
        lines.Add($"  write-back  {Ms(r.Cycle.WriteBack)} (bind requests, evictions, annotations)");
        lines.Add($"after the cycle: status updates (events, conditions, queue status) {Ms(r.StatusWriteBackAfterCycle)}");
        lines.Add($"placed: {r.PodsBound} bound + {r.PodsPipelined} pipelined = {r.PodsPlacedPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s; {r.PodsEvicted} evicted");
        lines.Add($"plain pass over the snapshot: {Ms(r.PlainPass)}; cycle / pass = {r.CycleToPassRatio.ToString("N0", CultureInfo.InvariantCulture)}x");
        lines.Add($"memory: heap {Mb(r.HeapBeforeBytes)} before, {Mb(r.HeapAfterBytes)} after the cycle; {Mb(r.AllocatedDuringCycleBytes)} allocated during it; peak working set {Mb(r.PeakWorkingSetBytes)}");
        lines.Add($"garbage collection during the cycle: {Ms(r.GcPauseDuringCycle)} paused; collections gen0 {r.CollectionsDuringCycle[0]}, gen1 {r.CollectionsDuringCycle[1]}, gen2 {r.CollectionsDuringCycle[2]}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string ThroughApiTable(ThroughApiResult r)
    {
        var s = r.Settings;
        var busy = r.Cycles.Where(c => c.Binds > 0).ToList();
        var lines = new List<string>
        {
            $"through the API: {s.Nodes} nodes x {SyntheticCluster.GpusPerNode} GPUs, {s.PendingPods} pending pods, kai run's components over loopback (schedule period {s.SchedulePeriod.TotalMilliseconds:0} ms, {s.Clients} API clients creating)",
            $"setup (nodes, queues, priority classes through the API): {Ms(r.Setup)}",
            $"created: {r.PodsCreated:N0} pods (and their pod groups) in {Ms(r.Creation)} = {r.PodsCreatedPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s",
            $"bound: {r.PodsBound:N0} pods, first creation to last binding {Ms(r.FirstCreatedToLastBound)} = {r.PodsBoundPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s end to end",
            $"latency, creation to spec.nodeName: median {Ms(r.LatencyMedian)}, p99 {Ms(r.LatencyP99)}",
            $"CPU: {Ms(r.ProcessorTime)} for the whole process from the first creation (server, components, clients) = {r.ProcessorTimePerPod.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms per bound pod on {Environment.ProcessorCount} cores",
            $"cycles: {r.Cycles.Count} ({busy.Count} placed pods); cycles that placed pods: mean {Ms(Mean(busy.Select(c => c.Timings.Total)))}, max {Ms(busy.Select(c => c.Timings.Total).DefaultIfEmpty().Max())}",
            $"  mean sync {Ms(Mean(busy.Select(c => c.Timings.Sync)))}, snapshot {Ms(Mean(busy.Select(c => c.Timings.Snapshot)))}, actions {Ms(Mean(busy.Select(c => c.Timings.Actions.Aggregate(TimeSpan.Zero, (t, a) => t + a.Duration))))}, write-back (bind requests) {Ms(Mean(busy.Select(c => c.Timings.WriteBack)))}",
        };
        return string.Join(Environment.NewLine, lines);
    }

    private static string ThroughApiJson(ThroughApiResult r)
    {
        var figures = new Dictionary<string, object>
        {
            ["nodes"] = r.Settings.Nodes,
            ["pendingPods"] = r.Settings.PendingPods,
            ["seed"] = r.Settings.Seed,
            ["schedulePeriodMs"] = r.Settings.SchedulePeriod.TotalMilliseconds,
            ["clients"] = r.Settings.Clients,
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
            ["cycles"] = r.Cycles.Count,
            ["cycleMs"] = string.Join(' ', r.Cycles.Where(c => c.Binds > 0).Select(c => c.Timings.Total.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture))),
        };
        return JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject);
    }

    private static TimeSpan Mean(IEnumerable<TimeSpan> spans)
    {
        var list = spans.ToList();
        return list.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)list.Average(s => s.Ticks));
    }

    private static string Json(BenchmarkResult r)
    {
        var figures = new Dictionary<string, object>
        {
            ["nodes"] = r.Nodes,
            ["pendingPods"] = r.PendingPods,
            ["podGroups"] = r.PodGroups,
            ["seed"] = r.Seed,
            ["podsBound"] = r.PodsBound,
            ["podsPipelined"] = r.PodsPipelined,
            ["podsEvicted"] = r.PodsEvicted,
            ["runningFill"] = r.RunningFill,
            ["clusterLoadMs"] = r.ClusterLoad.TotalMilliseconds,
            ["cacheFillMs"] = r.CacheFill.TotalMilliseconds,
            ["cycleMs"] = r.Cycle.Total.TotalMilliseconds,
            ["syncMs"] = r.Cycle.Sync.TotalMilliseconds,
            ["snapshotMs"] = r.Cycle.Snapshot.TotalMilliseconds,
            ["actionsMs"] = r.Cycle.Actions.ToDictionary(a => ActionNames.Of(a.Action), a => a.Duration.TotalMilliseconds),
            ["writeBackMs"] = r.Cycle.WriteBack.TotalMilliseconds,
            ["statusAfterCycleMs"] = r.StatusWriteBackAfterCycle.TotalMilliseconds,
            ["podsPlacedPerSecond"] = r.PodsPlacedPerSecond,
            ["plainPassMs"] = r.PlainPass.TotalMilliseconds,
            ["cycleToPassRatio"] = r.CycleToPassRatio,
            ["heapBeforeBytes"] = r.HeapBeforeBytes,
            ["heapAfterBytes"] = r.HeapAfterBytes,
            ["allocatedDuringCycleBytes"] = r.AllocatedDuringCycleBytes,
            ["peakWorkingSetBytes"] = r.PeakWorkingSetBytes,
            ["gcPauseMs"] = r.GcPauseDuringCycle.TotalMilliseconds,
            ["gcCollections"] = string.Join('/', r.CollectionsDuringCycle),
        };
        return JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject);
    }

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";

    private static string Mb(long bytes) => $"{(bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture)} MB";
}
