using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// Where a cycle's time went, measured once by the <see cref="Scheduler"/>: its log, its metrics and
/// <c>kai bench</c> all report these figures.
/// </summary>
/// <param name="Sync">Applying the cluster's changes to the cache.</param>
/// <param name="Snapshot">Building the snapshot from the cache.</param>
/// <param name="Session">Building the session's working state (books, node index).</param>
/// <param name="Plugins">Each plugin's session-open step, in order.</param>
/// <param name="Actions">Each action, in order.</param>
/// <param name="Result">Closing the session: collecting decisions, explanations and queue figures.</param>
/// <param name="WriteBack">Writing the decisions back (bind requests, evictions, annotations).</param>
public sealed record CycleTimings(
    TimeSpan Sync,
    TimeSpan Snapshot,
    TimeSpan Session,
    IReadOnlyList<(string Plugin, TimeSpan Duration)> Plugins,
    IReadOnlyList<(ActionKind Action, TimeSpan Duration)> Actions,
    TimeSpan Result,
    TimeSpan WriteBack)
{
    /// <summary>KAI's open session: everything before the first action.</summary>
    public TimeSpan OpenSession => Sync + Snapshot + Session + Sum(Plugins.Select(p => p.Duration));

    /// <summary>KAI's close session: everything after the last action.</summary>
    public TimeSpan CloseSession => Result + WriteBack;

    public TimeSpan ActionsTotal => Sum(Actions.Select(a => a.Duration));

    /// <summary>The whole cycle, end to end.</summary>
    public TimeSpan Total => OpenSession + ActionsTotal + CloseSession;

    private static TimeSpan Sum(IEnumerable<TimeSpan> spans) => spans.Aggregate(TimeSpan.Zero, (sum, span) => sum + span);
}
