using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Simulation.Bootstrap;

namespace Kai.Simulation.Reports;

/// <summary>Reads the cluster after the last cycle into a <see cref="SimulationReport"/>.</summary>
internal static class ReportBuilder
{
    public static async Task<SimulationReport> BuildAsync(
        ICluster cluster,
        ManifestSet manifests,
        IReadOnlyList<CycleOutcome> outcomes,
        DateTimeOffset start,
        NodePoolSpec? defaultPool,
        CancellationToken cancellationToken)
    {
        var last = outcomes[^1];
        var pods = (await cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false)).Items;
        var bindRequests = (await cluster.ListAsync<BindRequest>(cancellationToken).ConfigureAwait(false)).Items;

        var podReports = PodReports.Build(pods, bindRequests, last);
        var groupReports = GroupReports.Build(last, podReports, EvictionReports.Build(outcomes));
        var queueReports = last.Result.Queues.Select(q => new QueueReport(
            q.Queue.Name,
            q.Parent?.Name,
            q.Settings.Priority,
            Amounts(q.FairShare),
            Amounts(q.Allocated),
            Amounts(q.Requested),
            Settings(q.Settings, s => s.Quota),
            Settings(q.Settings, s => s.Limit))).ToList();
        var decisions = outcomes.SelectMany(o => o.Result.Decisions.Select(d => new DecisionReport(
            o.Cycle,
            ActionNames.Of(d.Action),
            d.Kind switch { DecisionKind.Bind => "bind", DecisionKind.Pipeline => "pipeline", _ => "evict" },
            d.Pod.ToString(),
            d.Node?.Value,
            d.Preemptor?.ToString() ?? d.Cause))).ToList();
        var diagnostics = DiagnosticReports.Build(manifests, outcomes, podReports, defaultPool);

        var claims = ClaimReports.Build((await cluster.ListAsync<Resourcev1ResourceClaim>(cancellationToken).ConfigureAwait(false)).Items, pods, bindRequests);
        var slices = (await cluster.ListAsync<V1ResourceSlice>(cancellationToken).ConfigureAwait(false)).Items;
        var nodes = NodeReports.Build(last.Snapshot, podReports, slices, claims);

        return new SimulationReport(outcomes.Count, start, last.Time, podReports, groupReports, queueReports, decisions, diagnostics, claims.Count > 0 ? claims : null, nodes);
    }

    private static ResourceAmounts Amounts(ResourceVector vector) =>
        new(vector.Cpu / 1000m, vector.Memory, vector.Gpu / (decimal)ResourceVector.MilliPerGpu);

    private static ResourceAmounts Settings(Kai.Scheduling.Model.Queue queue, Func<QueueResourceSettings, long> pick)
    {
        static decimal Scale(long value, decimal divisor) => value == QueueResourceSettings.Unlimited ? -1 : value / divisor;
        return new ResourceAmounts(Scale(pick(queue.Cpu), 1000m), Scale(pick(queue.Memory), 1m), Scale(pick(queue.Gpu), ResourceVector.MilliPerGpu));
    }
}
