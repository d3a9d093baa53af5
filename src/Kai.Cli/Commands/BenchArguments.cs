using System.CommandLine;
using Kai.Cli.Logging;
using Kai.Scheduling.Configuration;

namespace Kai.Cli.Commands;

/// <summary>The options of <c>kai bench</c>, with the bounds the parser checks on its own.</summary>
internal sealed class BenchArguments
{
    /// <summary>Bounds that keep a mistyped size from exhausting memory (a 100,000-node cluster is 20x the largest benchmarked).</summary>
    private const int MaxNodes = 100_000;
    private const int MaxPendingPods = 1_000_000;
    private const int MaxCycles = 10_000;

    public Option<int> Nodes { get; } = NumberOptions.WholeNumber("--nodes", $"Nodes (8 GPUs each), 1 to {MaxNodes}.", 1000, 1, MaxNodes);

    public Option<int> PendingPods { get; } = NumberOptions.WholeNumber("--pending-pods", $"Pending pods, in gangs of 1–16 (0 to {MaxPendingPods}).", 10_000, 0, MaxPendingPods);

    public Option<int> Seed { get; } = NumberOptions.WholeNumber("--seed", "Seed of the generated cluster (0 or more).", 1, 0);

    public Option<bool> NoWarmup { get; } = new("--no-warmup") { Description = "Skip the small warm-up run that takes JIT compilation out of the figures." };

    public Option<bool> NoSetupCollection { get; } = new("--no-setup-collection") { Description = "Leave the young collection that ends the setup to the first cycle, which then also scans the card table the load and the full collections left (the bench's measure until 2026-12-08)." };

    public Option<string> Output { get; } = OutputOption.Create();

    public Option<string?> Actions { get; } = new("--actions") { Description = $"Comma-separated actions to time (default: all of {ActionNames.All})." };

    public Option<double> RunningFill { get; } = NumberOptions.Number("--running-fill", "Share of GPUs (0 to 1) already held by running gangs before the cycle, mostly by a few teams: 1 benchmarks reclaim, preempt and consolidation on a full cluster.", 0, 0, 1);

    public Option<double> Fractional { get; } = NumberOptions.Number("--fractional", "Share (0 to 1) of the pending one-GPU pods that ask for a fraction of a GPU (gpu-fraction 0.1–0.9) instead; above 0 the same cluster with whole GPUs only is timed in the same run, and the ratio of the two first cycles is printed.", 0, 0, 1);

    public Option<bool> ThroughApi { get; } = new("--through-api") { Description = "Create the cluster through the HTTP API of an in-process kai serve and schedule it with kai run's components over loopback; report pods bound per second end to end." };

    public Option<string> SchedulePeriod { get; } = new("--schedule-period") { Description = "With --through-api: time between scheduling cycles.", DefaultValueFactory = _ => "1s" };

    public Option<int> Clients { get; } = NumberOptions.WholeNumber("--clients", "With --through-api: concurrent API clients creating the cluster (1 to 256).", 16, 1, 256);

    public Option<bool> Http1 { get; } = new("--http1") { Description = "With --through-api: the components and clients speak HTTP/1.1 to the server's HTTP/1.1 port (one connection per request in flight) instead of HTTP/2 with prior knowledge to its HTTP/2 port." };

    public Option<int> Pods { get; } = NumberOptions.WholeNumber("--pods", $"All pods, mostly running (GPU gangs, half-GPU and CPU-only pods in 300 queues), of which --pending-pods are pending; 0 (default): only the pending gangs, in 36 queues (0 to {MaxPendingPods}).", 0, 0, MaxPendingPods);

    public Option<int> Cycles { get; } = NumberOptions.WholeNumber("--cycles", $"Cycles to run (1 to {MaxCycles}); between two, --churn of the pods finish and as many new ones arrive.", 1, 1, MaxCycles);

    public Option<double> Churn { get; } = NumberOptions.Number("--churn", "Share of the pods (0 to 1) that finish between two cycles, replaced by as many new pending pods.", 0, 0, 1);

    public Option<double> NodeChurn { get; } = NumberOptions.Number("--node-churn", "Share of the nodes (0 to 1) that post a status update between two cycles: heartbeat times, and one in ten a real change (allocatable memory, a label or a PreferNoSchedule taint).", 0, 0, 1);

    public Option<int> CycleGcBudget { get; } = NumberOptions.WholeNumber(
        "--cycle-gc-budget",
        $"Mebibytes the garbage collector keeps free through each cycle so that it does not collect during it (the configuration's cycleGcBudgetMiB; 0 = off, up to {SchedulerConfiguration.MaxCycleGcBudgetMiB}).",
        SchedulerConfiguration.DefaultCycleGcBudgetMiB,
        0,
        SchedulerConfiguration.MaxCycleGcBudgetMiB);

    public Option<string> LogLevel { get; } = LogLevelOption.Create("warning", "debug logs every decision and costs time");

    /// <summary>Adds every option to <paramref name="command"/>, in the order <c>--help</c> lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Nodes, PendingPods, Seed, NoWarmup, NoSetupCollection, Output, Actions, RunningFill, Fractional, ThroughApi, SchedulePeriod, Clients, Http1, Pods, Cycles, Churn, NodeChurn, CycleGcBudget, LogLevel })
        {
            command.Options.Add(option);
        }
    }
}
