using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Binding;
using Kai.Controllers.Dra;
using Kai.Controllers.Grouping;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Reports;
using Kai.Simulation.Time;
using Kai.Simulation.Workloads;
using Microsoft.Extensions.Logging;

namespace Kai.Simulation;

/// <summary>
/// Runs scheduling cycles on an embedded cluster seeded from manifests: between cycles simulated time moves on,
/// the binder binds what was placed, the kubelet starts bound pods, ends those whose run time is up and removes
/// terminated ones; the workload controllers (<see cref="WorkloadControllers"/>) create the pods of Jobs,
/// Deployments, PyTorchJobs... and recreate evicted ones, and (unless switched off) evicted pods of other
/// workloads are created again as their controllers would. The pod-grouper and the scheduler are the components
/// that run against a real cluster too.
/// </summary>
public static class SimulationRunner
{
    public static async Task<SimulationResult> RunAsync(ManifestSet manifests, SimulationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cycles, 1);
        var clock = new SimulatedClock(options.Start);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());

        var scenario = manifests.Objects.Select(o => o.Object).ToList();
        var seed = new List<IKubernetesObject<V1ObjectMeta>>(scenario);
        seed.AddRange(FreshInstall.ObjectsMissingFrom(scenario));
        // Only when the input truly has no nodes: Node objects that were all rejected do not call for the default pool.
        var usedDefaultPool = !manifests.DeclaresNodes;
        if (usedDefaultPool)
        {
            seed.AddRange(options.NodePool.CreateNodes());
        }

        cluster.Load(seed);
        // KAI's webhooks judge every write after seeding (manifests were judged by the same rules when loaded).
        cluster.Admission = new KaiAdmission();

        using var controllers = await WorkloadControllers.CreateAsync(cluster, clock, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var grouper = await PodGrouper.CreateAsync(cluster, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var binder = await Binder.CreateAsync(cluster, options.Telemetry.LoggerFactory.CreateLogger<Binder>(), cancellationToken).ConfigureAwait(false);
        using var scheduler = await Scheduler.CreateAsync(cluster, options.Configuration, KaiPlugins.Registry, clock, EvictionMode.Delete, options.Telemetry, cancellationToken).ConfigureAwait(false);
        using var podGroupStatus = await PodGroupStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        using var queueStatus = await QueueStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var kubelet = new SimulatedKubelet(cluster, clock);
        var claims = new ResourceClaimController(cluster);
        using var resubmitter = options.ResubmitEvictedPods
            ? await PodResubmitter.CreateAsync(cluster, controllers.Controls, cancellationToken).ConfigureAwait(false)
            : null;

        var outcomes = new List<CycleOutcome>();
        for (var cycle = 1; cycle <= options.Cycles; cycle++)
        {
            if (cycle > 1)
            {
                clock.Advance(options.Interval);
                await binder.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                await kubelet.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            await controllers.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (cycle > 1 && resubmitter is not null)
            {
                await resubmitter.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            }

            await claims.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await grouper.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            var outcome = await scheduler.RunCycleAsync(cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (resubmitter is not null)
            {
                await resubmitter.ObserveAsync(outcome, cancellationToken).ConfigureAwait(false);
            }

            // Status (events, conditions) is written after each cycle; wait for it so that time moves on only then.
            await scheduler.FlushStatusAsync().ConfigureAwait(false);
            await podGroupStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
            await queueStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = await ReportBuilder.BuildAsync(cluster, manifests, outcomes, options.Start, usedDefaultPool ? options.NodePool : null, cancellationToken).ConfigureAwait(false);
        if (options.ConfigurationWarnings.Count > 0)
        {
            report = report with { Diagnostics = [.. options.ConfigurationWarnings.Select(w => new DiagnosticReport("warning", w.Source, null, w.Message)), .. report.Diagnostics] };
        }

        return new SimulationResult(report, cluster);
    }
}

/// <summary>A finished simulation: its report, and the embedded cluster as the run left it (for inspection).</summary>
public sealed record SimulationResult(SimulationReport Report, ICluster Cluster);
