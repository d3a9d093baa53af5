using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;

namespace Kai.ApiServer.Hosting;

/// <summary>How <c>kai serve</c> runs: the API server's settings and the in-process scheduler components.</summary>
public sealed record ServeOptions
{
    public ApiServerOptions Api { get; init; } = new();

    /// <summary>Run the pod-grouper, scheduler, binder and simulated kubelet in-process (false: <c>--no-scheduler</c>).</summary>
    public bool RunScheduler { get; init; } = true;

    public SchedulerConfiguration Configuration { get; init; } = SchedulerConfiguration.Default;

    /// <summary>Time between scheduling cycles (KAI's schedule period).</summary>
    public TimeSpan SchedulePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Nodes to create when the manifests have none.</summary>
    public NodePoolSpec NodePool { get; init; } = NodePoolSpec.Default;
}
