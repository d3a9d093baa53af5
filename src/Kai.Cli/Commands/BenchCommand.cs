using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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
        var fractional = NumberOptions.Number("--fractional", "Share (0 to 1) of the pending one-GPU pods that ask for a fraction of a GPU (gpu-fraction 0.1–0.9) instead; above 0 the same cluster with whole GPUs only is timed in the same run, and the ratio of the two cycles is printed.", 0, 0, 1);
        var actions = new Option<string?>("--actions") { Description = $"Comma-separated actions to time (default: all of {ActionNames.All})." };

        var command = new Command("bench", "Generate a cluster (nodes with 8 GPUs, pending gangs in a two-level queue tree) and time one scheduling cycle by phase.")
        {
            nodes, pending, seed, warmup, output, actions, fill, fractional,
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

            var share = parse.GetValue(fractional);
            if (!parse.GetValue(warmup))
            {
                await CycleBenchmark.RunAsync(50, 400, seed: 7, configuration, parse.GetValue(fill), share, cancellationToken).ConfigureAwait(false);
            }

            // With fractions, the whole-GPU cycle of the same cluster is the yardstick, timed in the same process.
            BenchmarkResult? wholeGpus = share > 0
                ? await CycleBenchmark.RunAsync(parse.GetValue(nodes), parse.GetValue(pending), parse.GetValue(seed), configuration, parse.GetValue(fill), 0, cancellationToken).ConfigureAwait(false)
                : null;
            var result = await CycleBenchmark.RunAsync(parse.GetValue(nodes), parse.GetValue(pending), parse.GetValue(seed), configuration, parse.GetValue(fill), share, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(parse.IsJson(output) ? Json(result, wholeGpus) : Table(result, wholeGpus)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Table(BenchmarkResult r, BenchmarkResult? wholeGpus)
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
        if (wholeGpus is not null)
        {
            lines.Add($"fractional: {r.Fractional:P0} of the pending one-GPU pods ask for a fraction; the same cluster with whole GPUs only: cycle {Ms(wholeGpus.Cycle.Total)} ({wholeGpus.PodsBound} bound + {wholeGpus.PodsPipelined} pipelined); fractional / whole = {(r.Cycle.Total / wholeGpus.Cycle.Total).ToString("0.00", CultureInfo.InvariantCulture)}x");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Json(BenchmarkResult r, BenchmarkResult? wholeGpus)
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
            ["fractional"] = r.Fractional,
        };
        if (wholeGpus is not null)
        {
            figures["wholeGpuCycleMs"] = wholeGpus.Cycle.Total.TotalMilliseconds;
            figures["fractionalToWholeRatio"] = r.Cycle.Total / wholeGpus.Cycle.Total;
        }

        return JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject);
    }

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";

    private static string Mb(long bytes) => $"{(bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture)} MB";
}
