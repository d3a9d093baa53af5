using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Scheduling;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Reports;
using Kai.Simulation.Time;

namespace Kai.Simulation;

/// <summary>
/// Runs scheduling cycles on an embedded cluster seeded from manifests: between cycles simulated time moves on,
/// the binder binds what was placed, the kubelet starts bound pods, ends those whose run time is up and removes
/// terminated ones; the workload controllers (<see cref="Workloads.WorkloadControllers"/>) create the pods of Jobs,
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
        var (cluster, usedDefaultPool) = SeedCluster(manifests, options, clock);

        using var components = await SimulatedComponents.CreateAsync(cluster, clock, options, cancellationToken).ConfigureAwait(false);
        var outcomes = new List<CycleOutcome>();
        for (var cycle = 1; cycle <= options.Cycles; cycle++)
        {
            if (cycle > 1)
            {
                clock.Advance(options.Interval);
            }

            outcomes.Add(await components.RunCycleAsync(first: cycle == 1, cancellationToken).ConfigureAwait(false));
        }

        var report = await ReportBuilder.BuildAsync(cluster, manifests, outcomes, options.Start, usedDefaultPool ? options.NodePool : null, cancellationToken).ConfigureAwait(false);
        if (options.ConfigurationWarnings.Count > 0)
        {
            report = report with { Diagnostics = [.. options.ConfigurationWarnings.Select(w => new DiagnosticReport("warning", w.Source, null, w.Message)), .. report.Diagnostics] };
        }

        return new SimulationResult(report, cluster);
    }

    /// <summary>
    /// The embedded cluster with the manifests, what a fresh KAI install has and they lack, and the node pool when
    /// the input has no nodes; KAI's admission judges every write from then on.
    /// </summary>
    private static (EmbeddedCluster Cluster, bool UsedDefaultPool) SeedCluster(ManifestSet manifests, SimulationOptions options, SimulatedClock clock)
    {
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
        return (cluster, usedDefaultPool);
    }
}

/// <summary>A finished simulation: its report, and the embedded cluster as the run left it (for inspection).</summary>
public sealed record SimulationResult(SimulationReport Report, ICluster Cluster);
