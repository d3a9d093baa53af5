using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kai.Cli.Logging;
using Kai.Controllers.Scheduling;
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
        var logLevel = LogLevelOption.Create("warning", "debug logs every decision and costs time");

        var command = new Command("bench", "Generate a cluster (nodes with 8 GPUs, pending gangs in a two-level queue tree) and time one scheduling cycle by phase.")
        {
            nodes, pending, seed, warmup, output, actions, fill, logLevel,
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

            if (!parse.GetValue(warmup))
            {
                await CycleBenchmark.RunAsync(50, 400, seed: 7, configuration, parse.GetValue(fill), cancellationToken).ConfigureAwait(false);
            }

            using var logging = StderrLogging.Create(parse.InvocationConfiguration.Error, LogLevelOption.Parse(parse.GetValue(logLevel)!));
            var telemetry = new SchedulerTelemetry { LoggerFactory = logging.Factory };
            var result = await CycleBenchmark.RunAsync(parse.GetValue(nodes), parse.GetValue(pending), parse.GetValue(seed), configuration, parse.GetValue(fill), telemetry, cancellationToken).ConfigureAwait(false);
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
            $"  session     {Ms(r.Cycle.Session)} (books and node index)",
        };
        lines.AddRange(r.Cycle.Plugins.Select(p => $"    {p.Plugin,-9} {Ms(p.Duration)} (session open)"));
        lines.AddRange(r.Cycle.Actions.Select(a => $"  {ActionNames.Of(a.Action),-11} {Ms(a.Duration)}"));
        lines.Add($"  result      {Ms(r.Cycle.Result)} (decisions, explanations, queue figures)");
        lines.Add($"  write-back  {Ms(r.Cycle.WriteBack)} (bind requests, evictions, annotations)");
        lines.Add($"after the cycle: status updates (events, conditions, queue status) {Ms(r.StatusWriteBackAfterCycle)}");
        lines.Add($"placed: {r.PodsBound} bound + {r.PodsPipelined} pipelined = {r.PodsPlacedPerSecond.ToString("N0", CultureInfo.InvariantCulture)} pods/s; {r.PodsEvicted} evicted");
        lines.Add($"plain pass over the snapshot: {Ms(r.PlainPass)}; cycle / pass = {r.CycleToPassRatio.ToString("N0", CultureInfo.InvariantCulture)}x");
        lines.Add($"memory: heap {Mb(r.HeapBeforeBytes)} before, {Mb(r.HeapAfterBytes)} after the cycle; {Mb(r.AllocatedDuringCycleBytes)} allocated during it; peak working set {Mb(r.PeakWorkingSetBytes)}");
        lines.Add($"garbage collection during the cycle: {Ms(r.GcPauseDuringCycle)} paused; collections gen0 {r.CollectionsDuringCycle[0]}, gen1 {r.CollectionsDuringCycle[1]}, gen2 {r.CollectionsDuringCycle[2]}");
        return string.Join(Environment.NewLine, lines);
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
            ["sessionMs"] = r.Cycle.Session.TotalMilliseconds,
            ["pluginsMs"] = r.Cycle.Plugins.ToDictionary(p => p.Plugin, p => p.Duration.TotalMilliseconds),
            ["openSessionMs"] = r.Cycle.OpenSession.TotalMilliseconds,
            ["resultMs"] = r.Cycle.Result.TotalMilliseconds,
            ["closeSessionMs"] = r.Cycle.CloseSession.TotalMilliseconds,
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
