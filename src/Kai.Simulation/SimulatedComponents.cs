using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Dra;
using Kai.Controllers.Grouping;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Time;
using Kai.Simulation.Workloads;
using Microsoft.Extensions.Logging;

namespace Kai.Simulation;

/// <summary>
/// The components that run on a simulated cluster — workload controllers, pod-grouper, binder, scheduler, status
/// controllers, kubelet, resource-claim controller and (optionally) the resubmitter of evicted pods — and the order
/// in which one simulated cycle runs them.
/// </summary>
internal sealed class SimulatedComponents : IDisposable
{
    private readonly WorkloadControllers _controllers;
    private readonly PodGrouper _grouper;
    private readonly Binder _binder;
    private readonly Scheduler _scheduler;
    private readonly PodGroupStatusController _podGroupStatus;
    private readonly QueueStatusController _queueStatus;
    private readonly SimulatedKubelet _kubelet;
    private readonly ResourceClaimController _claims;
    private readonly PodResubmitter? _resubmitter;

    private SimulatedComponents(WorkloadControllers controllers, PodGrouper grouper, Binder binder, Scheduler scheduler, PodGroupStatusController podGroupStatus, QueueStatusController queueStatus, SimulatedKubelet kubelet, ResourceClaimController claims, PodResubmitter? resubmitter)
    {
        _controllers = controllers;
        _grouper = grouper;
        _binder = binder;
        _scheduler = scheduler;
        _podGroupStatus = podGroupStatus;
        _queueStatus = queueStatus;
        _kubelet = kubelet;
        _claims = claims;
        _resubmitter = resubmitter;
    }

    /// <summary>Starts every component on <paramref name="cluster"/> (each subscribes to the changes it watches).</summary>
    public static async Task<SimulatedComponents> CreateAsync(EmbeddedCluster cluster, SimulatedClock clock, SimulationOptions options, CancellationToken cancellationToken)
    {
        var controllers = await WorkloadControllers.CreateAsync(cluster, clock, cancellationToken: cancellationToken).ConfigureAwait(false);
        var grouper = await PodGrouper.CreateAsync(cluster, cancellationToken: cancellationToken).ConfigureAwait(false);
        var binder = await Binder.CreateAsync(cluster, options.Telemetry.LoggerFactory.CreateLogger<Binder>(), cancellationToken).ConfigureAwait(false);
        var scheduler = await Scheduler.CreateAsync(cluster, options.Configuration, KaiPlugins.Registry, clock, EvictionMode.Delete, options.Telemetry, cancellationToken).ConfigureAwait(false);
        var podGroupStatus = await PodGroupStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var queueStatus = await QueueStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var resubmitter = options.ResubmitEvictedPods
            ? await PodResubmitter.CreateAsync(cluster, controllers.Controls, cancellationToken).ConfigureAwait(false)
            : null;
        return new SimulatedComponents(controllers, grouper, binder, scheduler, podGroupStatus, queueStatus, new SimulatedKubelet(cluster, clock), new ResourceClaimController(cluster), resubmitter);
    }

    /// <summary>
    /// One simulated cycle: after the first, the binder binds what the last one placed and the kubelet moves pods
    /// on; the controllers create pods, the scheduler runs a cycle, and its status is written before time moves on.
    /// </summary>
    public async Task<CycleOutcome> RunCycleAsync(bool first, CancellationToken cancellationToken)
    {
        if (!first)
        {
            await _binder.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await _kubelet.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        await _controllers.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (!first && _resubmitter is not null)
        {
            await _resubmitter.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        await _claims.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await _grouper.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await _scheduler.RunCycleAsync(cancellationToken).ConfigureAwait(false);
        if (_resubmitter is not null)
        {
            await _resubmitter.ObserveAsync(outcome, cancellationToken).ConfigureAwait(false);
        }

        // Status (events, conditions) is written after each cycle; wait for it so that time moves on only then.
        await _scheduler.FlushStatusAsync().ConfigureAwait(false);
        await _podGroupStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await _queueStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    public void Dispose()
    {
        _resubmitter?.Dispose();
        _queueStatus.Dispose();
        _podGroupStatus.Dispose();
        _scheduler.Dispose();
        _binder.Dispose();
        _grouper.Dispose();
        _controllers.Dispose();
    }
}
