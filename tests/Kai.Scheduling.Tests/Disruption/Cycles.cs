using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>Runs one cycle over a state and reads its result in the terms the disruption tests assert on.</summary>
internal static class Cycles
{
    public static CycleResult Run(this ClusterState state, SchedulerConfiguration configuration) =>
        new SchedulingEngine(configuration, KaiPlugins.Registry).RunCycle(SnapshotBuilder.Build(state));

    /// <summary>Every decision as "action kind pod@node", evictions with " for cause".</summary>
    public static string[] Texts(this CycleResult result) => [.. result.Decisions.Select(Text)];

    public static string Text(SchedulingDecision d) =>
        $"{ActionNames.Of(d.Action)} {d.Kind.ToString().ToLowerInvariant()} {d.Pod.Name}@{d.Node}" + (d.Kind == DecisionKind.Evict ? $" for {CauseOf(d)}" : string.Empty);

    /// <summary>Why a pod is evicted, as text: the preemptor's key, or the cause in words.</summary>
    public static string? CauseOf(SchedulingDecision d) => d.Preemptor?.ToString() ?? d.Cause;

    public static string[] Evicted(this CycleResult result) => result.Decisions.Placements(DecisionKind.Evict);

    /// <summary>The notes of the named group's explanation as "action: text", or none.</summary>
    public static string[] Notes(this CycleResult result, string group) =>
        [.. result.Explanations.Where(e => e.Group.Name == group).SelectMany(e => e.Notes).Select(n => n.ToString())];

    /// <summary>The named group's notes from one action, text only.</summary>
    public static string[] Notes(this CycleResult result, string group, ActionKind action) =>
        [.. result.Explanations.Where(e => e.Group.Name == group).SelectMany(e => e.Notes).Where(n => n.Action == action).Select(n => n.Text)];

    public static GroupExplanation Explanation(this CycleResult result, string group) =>
        result.Explanations.Single(e => e.Group.Name == group);

    /// <summary>The default configuration with consolidation off, so a test sees one disruptive action at work.</summary>
    public static SchedulerConfiguration WithoutConsolidation(this SchedulerConfiguration configuration) =>
        configuration with { MaxConsolidationPreemptees = 0 };
}
