using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Benchmarks;

namespace Kai.Cli.Commands;

/// <summary><c>kai bench</c>: time a scheduling cycle on a generated cluster.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes (8 GPUs each).", DefaultValueFactory = _ => 1000 };
        var pending = new Option<int>("--pending-pods") { Description = "Pending pods, in gangs of 1–16.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated cluster.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<bool>("--no-warmup") { Description = "Skip the small warm-up run that takes JIT compilation out of the figures." };
        var output = OutputOption.Create();
        var fill = new Option<double>("--running-fill") { Description = "Share of GPUs (0–1) already held by running gangs before the cycle, mostly by a few teams: 1 benchmarks reclaim, preempt and consolidation on a full cluster.", DefaultValueFactory = _ => 0 };
        var actions = new Option<string?>("--actions") { Description = $"Comma-separated actions to time (default: all of {ActionNames.All})." };
        nodes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--nodes must be 1 or more.");
            }
        });
        pending.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--pending-pods must not be negative.");
            }
        });

        var command = new Command("bench", "Generate a cluster (nodes with 8 GPUs, pending gangs in a two-level queue tree) and time one scheduling cycle by phase.")
        {
            nodes, pending, seed, warmup, output, actions, fill,
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
