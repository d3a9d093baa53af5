using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// What the scheduler logs about a cycle, from the cycle's own outcome and timings. Per-decision and
/// per-group messages are built only when Debug is on; a snapshot issue is logged when it first appears,
/// not again every cycle it persists.
/// </summary>
internal sealed class CycleLog(ILogger logger)
{
    private HashSet<string> _reportedIssues = [];

    public void Started(long cycle, DateTimeOffset now, ClusterSnapshot snapshot, TimeSpan sync, TimeSpan snapshotBuild)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            SchedulerLog.CycleStarted(logger, cycle, now, snapshot.Nodes.Count, snapshot.Pods.Count, snapshot.Groups.Count, snapshot.Queues.Count, sync.TotalMilliseconds, snapshotBuild.TotalMilliseconds);
        }
    }

    public void Completed(CycleOutcome outcome)
    {
        LogNewIssues(outcome.Result.Issues);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogActions(outcome);
            LogDecisions(outcome);
            LogPending(outcome);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var (bound, pipelined, evicted) = Count(outcome.Result.Decisions);
            var timings = outcome.Timings;
            SchedulerLog.CycleCompleted(
                logger,
                outcome.Cycle,
                timings.Total.TotalMilliseconds,
                bound,
                pipelined,
                evicted,
                outcome.Result.Explanations.Count,
                timings.OpenSession.TotalMilliseconds,
                timings.ActionsTotal.TotalMilliseconds,
                timings.CloseSession.TotalMilliseconds);
        }
    }

    private void LogNewIssues(IReadOnlyList<SnapshotIssue> issues)
    {
        if (issues.Count == 0 && _reportedIssues.Count == 0)
        {
            return;
        }

        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var issue in issues)
        {
            var text = issue.ToString();
            if (current.Add(text) && !_reportedIssues.Contains(text) && logger.IsEnabled(LogLevel.Warning))
            {
                SchedulerLog.SnapshotIssue(logger, issue.Kind, issue.Namespace is null ? issue.Name : $"{issue.Namespace}/{issue.Name}", issue.Message);
            }
        }

        _reportedIssues = current;
    }

    private void LogActions(CycleOutcome outcome)
    {
        var durations = outcome.Timings.Actions;
        foreach (var statistics in outcome.Result.ActionStatistics)
        {
            var duration = durations.FirstOrDefault(a => a.Action == statistics.Action).Duration;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var action = ActionNames.Of(statistics.Action);
                SchedulerLog.ActionCompleted(logger, action, duration.TotalMilliseconds, statistics.PodGroupsConsidered, statistics.PodGroupsScheduled, statistics.ScenariosSimulated);
            }
        }
    }

    private void LogDecisions(CycleOutcome outcome)
    {
        foreach (var decision in outcome.Result.Decisions)
        {
            using var scope = SchedulerLog.PodGroupScope(logger, decision.Group.ToString(), QueueOf(outcome.Snapshot, decision.Group));
            var why = decision.Preemptor is { } preemptor ? $", to make room for pod group {preemptor}" : decision.Cause is { } cause ? $": {cause}" : string.Empty;
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (action, kind, pod) = (ActionNames.Of(decision.Action), KindOf(decision.Kind), decision.Pod.ToString());
                SchedulerLog.Decision(logger, action, kind, pod, decision.Node?.Value, why);
            }
        }
    }

    private void LogPending(CycleOutcome outcome)
    {
        foreach (var explanation in outcome.Result.Explanations)
        {
            using var scope = SchedulerLog.PodGroupScope(logger, explanation.Group.ToString(), QueueOf(outcome.Snapshot, explanation.Group));
            SchedulerLog.PodGroupPending(logger, explanation.Reason, explanation.FullMessage);
        }
    }

    private static string QueueOf(ClusterSnapshot snapshot, Kai.Scheduling.Model.PodGroupKey group)
    {
        var g = snapshot.FindGroup(group);
        return g >= 0 && snapshot.QueueOf(g) is var q and >= 0 ? snapshot.Queues[q].Name : string.Empty;
    }

    private static string KindOf(DecisionKind kind) => kind switch
    {
        DecisionKind.Bind => "bind",
        DecisionKind.Pipeline => "pipeline",
        _ => "evict",
    };

    private static (int Bound, int Pipelined, int Evicted) Count(IReadOnlyList<SchedulingDecision> decisions)
    {
        int bound = 0, pipelined = 0, evicted = 0;
        foreach (var decision in decisions)
        {
            switch (decision.Kind)
            {
                case DecisionKind.Bind: bound++; break;
                case DecisionKind.Pipeline: pipelined++; break;
                default: evicted++; break;
            }
        }

        return (bound, pipelined, evicted);
    }
}
