using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Controllers.Mapping;
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
        var bindRequests = (await cluster.ListAsync<BindRequest>(cancellationToken).ConfigureAwait(false)).Items
            .Select(b => (Request: b, Node: PodMapper.LiveNodeOf(b)))
            .Where(b => b.Node is not null)
            .ToDictionary(b => new PodKey(b.Request.Metadata.NamespaceProperty ?? string.Empty, b.Request.Spec?.PodName ?? b.Request.Metadata.Name), b => b.Node!);
        var pipelined = last.Result.Decisions.Where(d => d.Kind == DecisionKind.Pipeline)
            .ToDictionary(d => d.Pod, d => d.Node?.Value);

        var snapshot = last.Snapshot;

        var podReports = new List<PodReport>();
        var statusesByGroup = new Dictionary<PodGroupKey, List<string>>();
        foreach (var pod in pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var key = new PodKey(pod.Metadata.NamespaceProperty ?? string.Empty, pod.Metadata.Name);
            bindRequests.TryGetValue(key, out var bindNode);
            var status = PodMapper.StatusOf(pod, bindNode);
            var node = PodMapper.NodeOf(pod, bindNode);
            var statusText = status.ToString();
            if (status == PodStatus.Pending && pipelined.TryGetValue(key, out var pipelineNode))
            {
                statusText = "Pipelined";
                node = pipelineNode;
            }

            var groupName = pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var g) == true ? g : null;
            PodGroupKey? groupKey = groupName is null ? null : new PodGroupKey(pod.Metadata.NamespaceProperty ?? string.Empty, groupName);
            var groupIndex = groupName is null ? -1 : snapshot.FindGroup(pod.Metadata.NamespaceProperty ?? string.Empty, groupName);
            var queue = groupIndex >= 0 ? snapshot.Groups[groupIndex].QueueName : null;
            podReports.Add(new PodReport(pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, groupName, queue, statusText, node, []));
            if (groupKey is { } inGroup)
            {
                if (!statusesByGroup.TryGetValue(inGroup, out var list))
                {
                    statusesByGroup[inGroup] = list = [];
                }

                list.Add(statusText);
            }
        }

        var explanations = last.Result.Explanations.ToDictionary(e => e.Group);
        var groupReports = snapshot.Groups
            .OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var statuses = statusesByGroup.GetValueOrDefault(g.Key) ?? [];
                var explanation = explanations.GetValueOrDefault(g.Key);
                IReadOnlyList<ReasonReport> reasons = explanation is null
                    ? []
                    : [new ReasonReport(explanation.Reason, explanation.Message), .. explanation.Notes.Select(n => new ReasonReport(ActionNames.Of(n.Action), n.Text))];
                // With sub-groups the gang's minimum is the sum of theirs (PodGroup.minMember is then ignored).
                var index = snapshot.FindGroup(g.Namespace, g.Name);
                var needed = index >= 0 ? snapshot.PodSetsOf(index).Sum(s => s.MinAvailable) : g.MinMember;
                return new PodGroupReport(g.Namespace, g.Name, g.QueueName, g.Priority, g.MinMember, GroupStatus(statuses, needed, explanation?.Reason), reasons);
            })
            .ToList();

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
            d.Node?.Value))).ToList();

        return new SimulationReport(outcomes.Count, start, last.Time, podReports, groupReports, queueReports, decisions, Diagnostics(manifests, outcomes, defaultPool));
    }

    /// <summary>A group's state from its pods' statuses (documented in docs/simulate-json.md).</summary>
    internal static string GroupStatus(IReadOnlyList<string> statuses, int minMember, string? reason)
    {
        if (statuses.Count > 0 && statuses.All(s => s == "Succeeded"))
        {
            return "Succeeded";
        }

        if (statuses.Any(s => s == "Failed"))
        {
            return "Failed";
        }

        var running = statuses.Count(s => s == "Running");
        var active = statuses.Count(s => s is "Running" or "Binding" or "Bound");
        if (running >= minMember)
        {
            return "Running";
        }

        if (active >= minMember)
        {
            return "Binding";
        }

        if (statuses.Any(s => s == "Pipelined"))
        {
            return "Pipelined";
        }

        if (statuses.Any(s => s == "Releasing"))
        {
            return "Releasing";
        }

        return reason == "NotReady" ? "NotReady" : "Pending";
    }

    private static ResourceAmounts Amounts(ResourceVector vector) =>
        new(vector.Cpu / 1000m, vector.Memory, vector.Gpu / (decimal)ResourceVector.MilliPerGpu);

    private static ResourceAmounts Settings(Kai.Scheduling.Model.Queue queue, Func<QueueResourceSettings, long> pick)
    {
        static decimal Scale(long value, decimal divisor) => value == QueueResourceSettings.Unlimited ? -1 : value / divisor;
        return new ResourceAmounts(Scale(pick(queue.Cpu), 1000m), Scale(pick(queue.Memory), 1m), Scale(pick(queue.Gpu), ResourceVector.MilliPerGpu));
    }

    private static string SourceText(SourceLocation location) => location switch
    {
        { Line: { } line } => $"{location.File}:{line}",
        { Document: > 0 } => $"{location.File} (document {location.Document})",
        _ => location.File,
    };

    private static List<DiagnosticReport> Diagnostics(ManifestSet manifests, IReadOnlyList<CycleOutcome> outcomes, NodePoolSpec? defaultPool)
    {
        var result = manifests.Diagnostics.Select(d => new DiagnosticReport(
            d.Severity == DiagnosticSeverity.Error ? "error" : "warning",
            SourceText(d.Location),
            d.ObjectRef,
            d.Message)).ToList();

        // Problems found after loading name the file the object came from, like load problems do.
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var loaded in manifests.Objects)
        {
            var metadata = loaded.Object.Metadata;
            var reference = string.IsNullOrEmpty(metadata.NamespaceProperty) ? $"{loaded.Object.Kind} {metadata.Name}" : $"{loaded.Object.Kind} {metadata.NamespaceProperty}/{metadata.Name}";
            sources.TryAdd(reference, SourceText(loaded.Location));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            var issues = outcome.Snapshot.Issues.Select(i => (i.ObjectRef, i.Message, Text: i.ToString()))
                .Concat(outcome.MappingIssues.Select(i => (i.ObjectRef, i.Message, Text: i.ToString())));
            foreach (var (reference, message, text) in issues)
            {
                if (seen.Add(text))
                {
                    result.Add(new DiagnosticReport("warning", sources.GetValueOrDefault(reference), reference, message));
                }
            }
        }

        if (defaultPool is not null)
        {
            result.Add(new DiagnosticReport("info", null, null, $"the scenario has no nodes; using the default node pool {defaultPool} (change it with --node-pool)."));
        }

        return result;
    }
}
