using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Scheduling;

/// <summary>Where a cycle's time went.</summary>
public sealed record CycleTimings(TimeSpan Sync, TimeSpan Snapshot, IReadOnlyList<(ActionKind Action, TimeSpan Duration)> Actions, TimeSpan WriteBack)
{
    public TimeSpan Total => Sync + Snapshot + Actions.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Duration) + WriteBack;
}
