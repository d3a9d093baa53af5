using Kai.Controllers.Mapping;
using Kai.Scheduling;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>One scheduling cycle: what the engine decided, the snapshot it decided on, and how long it took.</summary>
public sealed record CycleOutcome(int Cycle, DateTimeOffset Time, ClusterSnapshot Snapshot, CycleResult Result, CycleTimings Timings, IReadOnlyList<MappingIssue> MappingIssues)
{
    /// <summary>
    /// The engine did not run: nothing changed since the previous cycle, which asked nothing of the cluster, and no
    /// deadline it depended on has passed (<see cref="CycleResult.SameUntil"/>). Snapshot and result are that cycle's.
    /// </summary>
    public bool Repeated { get; init; }
}
