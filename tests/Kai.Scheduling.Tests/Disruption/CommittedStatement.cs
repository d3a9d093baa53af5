using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// A cycle's decisions cut back into the statements that committed them, as far as the decisions show: a
/// disruptive statement is its evictions (all with the preemptor as cause; a moved victim's evict is followed
/// by its pipeline) and then the preemptor's placements. A new statement starts when the action changes, or
/// with an eviction whose cause differs or that follows a placement of the current cause.
/// </summary>
/// <remarks>
/// A statement that evicted nothing (every victim put back) cannot be told apart from the one before it of the
/// same action; that only merges placements into a neighbour, which no check relies on.
/// </remarks>
internal sealed record CommittedStatement(ActionKind Action, string? Cause, int First, IReadOnlyList<SchedulingDecision> Decisions)
{
    public IEnumerable<SchedulingDecision> Evictions => Decisions.Where(d => d.Kind == DecisionKind.Evict);

    /// <summary>Placements (bind or pipeline) of the cause pod group.</summary>
    public IEnumerable<SchedulingDecision> PreemptorPlacements =>
        Decisions.Where(d => d.Kind != DecisionKind.Evict && d.Group.ToString() == Cause);

    /// <summary>Pods evicted and placed again elsewhere in the same statement.</summary>
    public ISet<PodKey> Moved => Decisions.Where(d => d.Kind == DecisionKind.Pipeline).Select(d => d.Pod)
        .Intersect(Evictions.Select(d => d.Pod)).ToHashSet();

    public static IReadOnlyList<CommittedStatement> Of(CycleResult result)
    {
        var statements = new List<CommittedStatement>();
        var current = new List<SchedulingDecision>();
        ActionKind? action = null;
        string? cause = null;
        var first = 0;
        var sawPreemptor = false;
        for (var i = 0; i < result.Decisions.Count; i++)
        {
            var d = result.Decisions[i];
            var isEvict = d.Kind == DecisionKind.Evict;
            var startNew = action != d.Action || (isEvict && (cause != Cycles.CauseOf(d) || sawPreemptor));
            if (startNew && current.Count > 0)
            {
                statements.Add(new CommittedStatement(action!.Value, cause, first, current));
                current = [];
            }

            if (startNew)
            {
                action = d.Action;
                cause = isEvict ? Cycles.CauseOf(d) : null;
                first = i;
                sawPreemptor = false;
            }

            current.Add(d);
            sawPreemptor |= !isEvict && cause is not null && d.Group.ToString() == cause;
        }

        if (current.Count > 0)
        {
            statements.Add(new CommittedStatement(action!.Value, cause, first, current));
        }

        return statements;
    }
}
