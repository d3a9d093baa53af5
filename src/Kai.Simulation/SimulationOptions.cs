using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;

namespace Kai.Simulation;

/// <summary>How to run a simulation on the embedded cluster.</summary>
public sealed record SimulationOptions
{
    /// <summary>Scheduling cycles to run.</summary>
    public int Cycles { get; init; } = 1;

    public SchedulerConfiguration Configuration { get; init; } = SchedulerConfiguration.Default;

    /// <summary>The simulated clock at the first cycle.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>
    /// Simulated time between cycles. Long enough by default (30 s) for a default termination grace period
    /// to end, so an evicted pod is gone by the next cycle.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether evicted pods of a workload come back, as their controller would recreate them (same name, new uid,
    /// Pending; see <see cref="Workloads.PodResubmitter"/>). Off: evicted pods stay gone (<c>kai simulate --no-resubmit</c>).
    /// </summary>
    public bool ResubmitEvictedPods { get; init; } = true;

    /// <summary>Nodes to create when the scenario has none.</summary>
    public NodePoolSpec NodePool { get; init; } = NodePoolSpec.Default;

    /// <summary>Warnings from reading the scheduler configuration; the report lists them among its diagnostics.</summary>
    public IReadOnlyList<ConfigurationMessage> ConfigurationWarnings { get; init; } = [];

    /// <summary>Where the scheduler logs and measures (default: no logs).</summary>
    public SchedulerTelemetry Telemetry { get; init; } = SchedulerTelemetry.None;
}
