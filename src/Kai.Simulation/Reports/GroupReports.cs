using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Explanations;

namespace Kai.Simulation.Reports;

/// <summary>Each pod group after the last cycle: its state from its pods, why it waits, and why it lost pods.</summary>
internal static class GroupReports
{
    public static List<PodGroupReport> Build(CycleOutcome last, IReadOnlyList<PodReport> pods, IReadOnlyDictionary<string, List<EvictionReport>> evictions)
    {
        var snapshot = last.Snapshot;
        var podsByGroup = pods.Where(p => p.PodGroup is not null)
            .GroupBy(p => $"{p.Namespace}/{p.PodGroup}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var explanations = last.Result.Explanations.ToDictionary(e => e.Group.ToString(), StringComparer.Ordinal);
        var reports = new List<PodGroupReport>(snapshot.Groups.Count);
        foreach (var group in snapshot.Groups.OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal))
        {
            var groupPods = podsByGroup.GetValueOrDefault(group.Key.ToString()) ?? [];
            var statuses = groupPods.ConvertAll(p => p.Status);
            var explanation = explanations.GetValueOrDefault(group.Key.ToString());
            IReadOnlyList<ReasonReport> reasons = explanation is null
                ? []
                : [new ReasonReport(explanation.Reason, explanation.Message), .. explanation.Notes.Select(n => new ReasonReport(ActionNames.Of(n.Action), n.Text))];

            // With sub-groups the gang's minimum is the sum of theirs (PodGroup.minMember is then ignored).
            var index = snapshot.FindGroup(group.Namespace, group.Name);
            var needed = index >= 0 ? snapshot.PodSetsOf(index).Sum(s => s.MinAvailable) : group.MinMember;
            reports.Add(new PodGroupReport(
                group.Namespace,
                group.Name,
                group.QueueName,
                group.Priority,
                group.MinMember,
                Status(statuses, Math.Max(needed, 1), explanation?.Reason), // minMember 0 (no gang): running once one pod runs
                reasons,
                evictions.GetValueOrDefault(group.Key.ToString()) ?? [],
                TopologyReports.Build(last, index, groupPods)));
        }

        return reports;
    }

    /// <summary>A group's state from its pods' statuses (documented in docs/simulate-json.md).</summary>
    internal static string Status(IReadOnlyList<string> statuses, int minMember, string? reason)
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

        // A gang with fewer pods than its minimum (none at all, too) cannot start: KAI calls it NotReady.
        return statuses.Count < minMember || reason == GroupExplanation.NotReady ? "NotReady" : "Pending";
    }
}
