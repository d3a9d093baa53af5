using System.Diagnostics;

namespace Kai.Scheduling;

/// <summary>
/// The engine's tracing names: an <see cref="ActivitySource"/> named <c>Kai.Scheduler</c> with one activity per
/// cycle and one per action (tagged with the action's name and how many decisions it committed). Listen with an
/// <see cref="ActivityListener"/> or OpenTelemetry; without a listener the activities cost nothing.
/// </summary>
public static class SchedulerActivities
{
    public const string SourceName = "Kai.Scheduler";

    /// <summary>The activity of one scheduling cycle.</summary>
    public const string Cycle = "kai.scheduler.cycle";

    /// <summary>The activity of one action within a cycle.</summary>
    public const string Action = "kai.scheduler.action";

    public const string ActionTag = "kai.action";
    public const string DecisionsTag = "kai.decisions";
    public const string NodesTag = "kai.nodes";
    public const string PodsTag = "kai.pods";
    public const string PodGroupsTag = "kai.pod_groups";

    public static ActivitySource Source { get; } = new(SourceName);
}
