using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;

namespace Kai.Simulation.Reports;

/// <summary>
/// Tells why pod groups lost pods, from the decisions of every cycle: each eviction carries the action and its cause
/// (the pod group it made room for, or why a stale gang was evicted), and a pod evicted and pipelined in the same cycle
/// was moved. One <see cref="EvictionReport"/> per pod group, cycle, action and cause.
/// </summary>
internal static class EvictionReports
{
    /// <returns>Evictions by pod group (namespace/name), in cycle and commit order.</returns>
    public static Dictionary<string, List<EvictionReport>> Build(IReadOnlyList<CycleOutcome> outcomes)
    {
        var result = new Dictionary<string, List<EvictionReport>>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            var pipelined = outcome.Result.Decisions.Where(d => d.Kind == DecisionKind.Pipeline)
                .GroupBy(d => d.Pod.ToString(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Node?.Value, StringComparer.Ordinal);
            var evictions = outcome.Result.Decisions.Where(d => d.Kind == DecisionKind.Evict)
                .GroupBy(d => (Group: d.Group.ToString(), d.Action, Cause: d.Preemptor?.ToString() ?? d.Cause));
            foreach (var batch in evictions)
            {
                var pods = batch.Select(d => d.Pod.ToString()).Distinct(StringComparer.Ordinal).ToList();
                var moved = batch.Where(d => pipelined.TryGetValue(d.Pod.ToString(), out var to) && to is not null && to != d.Node?.Value)
                    .GroupBy(d => d.Pod.ToString(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => pipelined[g.Key]!, StringComparer.Ordinal);
                var forQueue = QueueOf(outcome, batch.Key.Action, batch.Key.Cause);
                var report = new EvictionReport(
                    outcome.Cycle,
                    ActionNames.Of(batch.Key.Action),
                    pods,
                    moved,
                    batch.Key.Action == ActionKind.StaleGangEviction ? null : batch.Key.Cause,
                    forQueue,
                    Message(batch.Key.Action, batch.Key.Cause, forQueue, pods, moved));
                if (!result.TryGetValue(batch.Key.Group, out var list))
                {
                    result[batch.Key.Group] = list = [];
                }

                list.Add(report);
            }
        }

        return result;
    }

    private static string? QueueOf(CycleOutcome outcome, ActionKind action, string? cause)
    {
        if (action == ActionKind.StaleGangEviction || cause is null || cause.IndexOf('/', StringComparison.Ordinal) is not (> 0 and var slash))
        {
            return null;
        }

        var group = outcome.Snapshot.FindGroup(cause[..slash], cause[(slash + 1)..]);
        return group >= 0 ? outcome.Snapshot.Groups[group].QueueName : null;
    }

    private static string Message(ActionKind action, string? cause, string? forQueue, IReadOnlyList<string> pods, Dictionary<string, string> moved)
    {
        var forGroup = cause is null ? string.Empty : $" for pod group {cause}";
        var story = action switch
        {
            ActionKind.Reclaim => $"reclaimed by queue {forQueue ?? "?"}{forGroup}",
            ActionKind.Preempt => $"preempted by pod group {cause ?? "?"} (same queue {forQueue ?? "?"}, higher priority)",
            ActionKind.Consolidation => $"moved by consolidation to make room{forGroup}",
            ActionKind.StaleGangEviction => $"evicted as a stale gang ({cause ?? "fewer than its minimum of pods running"})",
            _ => $"evicted by {ActionNames.Of(action)}{forGroup}",
        };

        var movedText = moved.Count == 0
            ? string.Empty
            : "; " + string.Join(", ", moved.GroupBy(m => m.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{Names(g.Select(m => m.Key))} moved to {g.Key}"));
        var stayed = pods.Where(p => !moved.ContainsKey(p)).ToList();
        var evictedText = stayed.Count == 0 ? string.Empty : $"; {Names(stayed)} evicted";
        return story + movedText + evictedText;
    }

    // Pod names without their namespace (the group's namespace), at most three, then a count.
    private static string Names(IEnumerable<string> podKeys)
    {
        var names = podKeys.Select(k => k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..]).Order(StringComparer.Ordinal).ToList();
        return names.Count <= 3 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(3))} and {names.Count - 3} more";
    }
}
