using System.Diagnostics;

namespace Kai.Scheduling;

/// <summary>
/// The engine's tracing names: an <see cref="ActivitySource"/> named <c>Kai.Scheduler</c> with one activity per
/// cycle (tagged with the cycle number, the snapshot's size, the pod groups pending at the start and still
/// pending at the end, and the decisions) and one per action (its name, decisions, pod groups considered and
/// scheduled, scenarios simulated). Listen with an <see cref="ActivityListener"/> or OpenTelemetry; without a
/// listener the activities cost nothing.
/// </summary>
public static class SchedulerActivities
{
    public const string SourceName = "Kai.Scheduler";

    /// <summary>The activity of one scheduling cycle.</summary>
    public const string Cycle = "kai.scheduler.cycle";

    /// <summary>The activity of one action within a cycle.</summary>
    public const string Action = "kai.scheduler.action";

    public const string ActionTag = "kai.action";
    public const string CycleTag = "kai.cycle";
    public const string DecisionsTag = "kai.decisions";
    public const string NodesTag = "kai.nodes";
    public const string PodsTag = "kai.pods";
    public const string PodGroupsTag = "kai.pod_groups";

    /// <summary>Pod groups with pods to place when the cycle starts.</summary>
    public const string PendingPodGroupsTag = "kai.pending_pod_groups";

    /// <summary>Pod groups explained as still pending when the cycle ends.</summary>
    public const string UnschedulablePodGroupsTag = "kai.unschedulable_pod_groups";

    public const string PodGroupsConsideredTag = "kai.pod_groups_considered";
    public const string PodGroupsScheduledTag = "kai.pod_groups_scheduled";
    public const string ScenariosSimulatedTag = "kai.scenarios_simulated";

    public static ActivitySource Source { get; } = new(SourceName);
}
