using Kai.Controllers.Observability;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// The scheduler's log messages (event ids in <see cref="KaiEventIds"/>): each cycle's start and end with its
/// phase timings at Information, each action, decision and still-pending pod group at Debug, problems at
/// Warning. Cycle, pod group and queue go into scopes.
/// </summary>
internal static partial class SchedulerLog
{
    private static readonly Func<ILogger, long, IDisposable?> CycleScopeFormat =
        LoggerMessage.DefineScope<long>("Cycle {Cycle}");

    private static readonly Func<ILogger, string, string, IDisposable?> PodGroupScopeFormat =
        LoggerMessage.DefineScope<string, string>("PodGroup {PodGroup} Queue {Queue}");

    /// <summary>A scope that puts the cycle number on everything logged within it.</summary>
    public static IDisposable? CycleScope(ILogger logger, long cycle) => CycleScopeFormat(logger, cycle);

    /// <summary>A scope that puts a pod group and its queue on everything logged within it.</summary>
    public static IDisposable? PodGroupScope(ILogger logger, string podGroup, string queue) => PodGroupScopeFormat(logger, podGroup, queue);

    [LoggerMessage(EventId = KaiEventIds.CycleStarted, Level = LogLevel.Information,
        Message = "Cycle {Cycle} started at {Time:O}: {Nodes} nodes, {Pods} pods, {PodGroups} pod groups, {Queues} queues (sync {SyncMs:0.0} ms, snapshot {SnapshotMs:0.0} ms)")]
    public static partial void CycleStarted(ILogger logger, long cycle, DateTimeOffset time, int nodes, int pods, int podGroups, int queues, double syncMs, double snapshotMs);

    [LoggerMessage(EventId = KaiEventIds.CycleCompleted, Level = LogLevel.Information,
        Message = "Cycle {Cycle} completed in {TotalMs:0.0} ms: {Bound} bound, {Pipelined} pipelined, {Evicted} evicted, {Pending} pod groups pending; open session {OpenSessionMs:0.0} ms, actions {ActionsMs:0.0} ms, close session {CloseSessionMs:0.0} ms")]
    public static partial void CycleCompleted(ILogger logger, long cycle, double totalMs, int bound, int pipelined, int evicted, int pending, double openSessionMs, double actionsMs, double closeSessionMs);

    [LoggerMessage(EventId = KaiEventIds.CycleRepeated, Level = LogLevel.Debug,
        Message = "Cycle {Cycle} repeated the previous one without running the engine: nothing changed, and no time-based rule is due before {Until:O}")]
    public static partial void CycleRepeated(ILogger logger, long cycle, DateTimeOffset until);

    [LoggerMessage(EventId = KaiEventIds.ActionCompleted, Level = LogLevel.Debug,
        Message = "Action {Action} took {DurationMs:0.0} ms: {PodGroupsConsidered} pod groups tried, {PodGroupsScheduled} scheduled, {ScenariosSimulated} scenarios simulated")]
    public static partial void ActionCompleted(ILogger logger, string action, double durationMs, int podGroupsConsidered, int podGroupsScheduled, int scenariosSimulated);

    [LoggerMessage(EventId = KaiEventIds.Decision, Level = LogLevel.Debug,
        Message = "{Action}: {Kind} pod {Pod} on node {Node}{Why}")]
    public static partial void Decision(ILogger logger, string action, string kind, string pod, string? node, string why);

    [LoggerMessage(EventId = KaiEventIds.PodGroupPending, Level = LogLevel.Debug,
        Message = "Pod group pending ({Reason}): {Explanation}")]
    public static partial void PodGroupPending(ILogger logger, string reason, string explanation);

    [LoggerMessage(EventId = KaiEventIds.SnapshotIssue, Level = LogLevel.Warning,
        Message = "{Kind} {Object} is left out of scheduling: {Problem}")]
    public static partial void SnapshotIssue(ILogger logger, string kind, string @object, string problem);

    [LoggerMessage(EventId = KaiEventIds.ConfigurationWarning, Level = LogLevel.Warning,
        Message = "Scheduler configuration: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);
}
