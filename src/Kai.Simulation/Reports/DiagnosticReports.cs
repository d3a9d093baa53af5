using k8s.Models;
using Kai.Cluster.Manifests;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Explanations;
using Kai.Simulation.Bootstrap;

namespace Kai.Simulation.Reports;

/// <summary>
/// The problems a simulation reports: load diagnostics, problems found when objects were mapped and linked (named
/// after the file the object came from), pod groups whose queue does not exist, and notes on the node pool used.
/// </summary>
public static class DiagnosticReports
{
    /// <summary>A load diagnostic as the report shows it.</summary>
    public static DiagnosticReport Of(ManifestDiagnostic diagnostic) =>
        new(DiagnosticSeverityText.Of(diagnostic.Severity), SourceText(diagnostic.Location), diagnostic.ObjectRef, diagnostic.Message);

    internal static List<DiagnosticReport> Build(ManifestSet manifests, IReadOnlyList<CycleOutcome> outcomes, IReadOnlyList<PodReport> pods, NodePoolSpec? defaultPool)
    {
        var result = manifests.Diagnostics.Select(Of).ToList();
        var sources = Sources(manifests);
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

        result.AddRange(MissingQueues(outcomes[^1], pods, sources));
        result.AddRange(NodePoolNotes(manifests, defaultPool));
        return result;
    }

    // A pod group waiting for a queue that does not exist is a mistake in the input, not only a table line.
    private static IEnumerable<DiagnosticReport> MissingQueues(CycleOutcome last, IReadOnlyList<PodReport> pods, Dictionary<string, string> sources)
    {
        var snapshot = last.Snapshot;
        var leaves = Enumerable.Range(0, snapshot.Queues.Count).Where(snapshot.IsLeaf).Select(q => snapshot.Queues[q].Name).Order(StringComparer.Ordinal).ToList();
        foreach (var explanation in last.Result.Explanations.Where(e => e.Reason == GroupExplanation.QueueDoesNotExist).OrderBy(e => e.Group.ToString(), StringComparer.Ordinal))
        {
            var group = snapshot.Groups[snapshot.FindGroup(explanation.Group.Namespace, explanation.Group.Name)];
            var queue = group.QueueName;
            var groupRef = $"PodGroup {group.Key}";
            var members = pods.Where(p => p.Namespace == group.Namespace && p.PodGroup == group.Name).Select(p => $"Pod {p.Namespace}/{p.Name}").ToList();

            // Name what the user wrote: the PodGroup when it came from the input, else its pods (the pod-grouper made the group).
            var objectRef = sources.ContainsKey(groupRef) || members.Count == 0 ? groupRef : members[0];
            var others = objectRef == groupRef || members.Count < 2 ? string.Empty : $" (and {members.Count - 1} more pods of pod group {group.Name})";
            var index = snapshot.FindQueue(queue);
            var what = index >= 0
                ? $"is not a leaf queue (its children: {string.Join(", ", snapshot.ChildrenOf(index).Select(c => snapshot.Queues[c].Name))}); only leaf queues hold work"
                : "does not exist";
            var suggestion = NameSuggestions.Closest(queue, leaves) is { } close ? $" Did you mean {close}?" : string.Empty;
            var known = leaves.Count <= 6 ? string.Join(", ", leaves) : $"{string.Join(", ", leaves.Take(6))}, ...";
            yield return new DiagnosticReport(
                "warning",
                sources.GetValueOrDefault(objectRef),
                objectRef,
                $"queue \"{queue}\" {what}, so pod group {group.Name} stays Pending with QueueDoesNotExist{others}.{suggestion} " +
                $"Create the Queue, or name a leaf queue in the kai.scheduler/queue label or the PodGroup's spec.queue: {known}");
        }
    }

    private static IEnumerable<DiagnosticReport> NodePoolNotes(ManifestSet manifests, NodePoolSpec? pool)
    {
        if (pool is not null)
        {
            var which = pool == NodePoolSpec.Default ? $"the default node pool {pool} (change it with --node-pool)" : $"the node pool given with --node-pool: {pool}";
            yield return new DiagnosticReport("info", null, null, $"the scenario has no nodes; using {which}.");
        }
        else if (manifests.DeclaresNodes && !manifests.OfType<V1Node>().Any())
        {
            yield return new DiagnosticReport(
                "info",
                null,
                null,
                "every Node in the input was rejected (see the errors above), so the cluster has no nodes; no node pool is created for input that has Node objects.");
        }
    }

    private static Dictionary<string, string> Sources(ManifestSet manifests)
    {
        // Problems found after loading name the file the object came from, like load problems do.
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var loaded in manifests.Objects)
        {
            var metadata = loaded.Object.Metadata;
            var reference = string.IsNullOrEmpty(metadata.NamespaceProperty) ? $"{loaded.Object.Kind} {metadata.Name}" : $"{loaded.Object.Kind} {metadata.NamespaceProperty}/{metadata.Name}";
            sources.TryAdd(reference, SourceText(loaded.Location)!);
        }

        return sources;
    }

    private static string? SourceText(SourceLocation location) => location switch
    {
        { Line: { } line } => $"{location.File}:{line}",
        { Document: > 0 } => $"{location.File} (document {location.Document})",
        _ => location.File,
    };
}
