namespace Kai.Controllers.Observability;

/// <summary>
/// Every event id the scheduler's components log with, in one place so that ids stay stable and unique:
/// 1xxx the scheduler's cycle, 2xxx the cache, 3xxx write-back, 4xxx the binder, 5xxx hosts (kai serve), 6xxx the
/// node-scale-adjuster.
/// docs/observability.md lists them with their levels.
/// </summary>
public static class KaiEventIds
{
    // Scheduler (Kai.Controllers.Scheduling.Scheduler)
    public const int CycleStarted = 1001;
    public const int CycleCompleted = 1002;
    public const int Decision = 1003;
    public const int PodGroupPending = 1004;
    public const int ActionCompleted = 1005;
    public const int CycleRepeated = 1006;
    public const int SnapshotIssue = 1010;
    public const int ConfigurationWarning = 1011;

    // Cache (Kai.Controllers.Cache.SchedulerCache)
    public const int MappingIssue = 2001;

    // Write-back (Kai.Controllers.Scheduling.WriteBack.DecisionWriter)
    public const int WriteFailed = 3001;

    // Binder (Kai.Controllers.Binding.Binder)
    public const int BindFailed = 4001;
    public const int BindEventFailed = 4002;

    // Hosts (Kai.ApiServer.Hosting.SchedulerLoop)
    public const int Tick = 5001;
    public const int TickFailed = 5002;

    // Node-scale-adjuster (Kai.Controllers.ScaleAdjust.NodeScaleAdjuster)
    public const int ScalingPodCreated = 6001;
    public const int ScalingPodDeleted = 6002;
    public const int ScalingPodFailed = 6003;
}
