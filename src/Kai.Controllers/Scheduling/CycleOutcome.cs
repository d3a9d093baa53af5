using Kai.Controllers.Mapping;
using Kai.Scheduling;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>One scheduling cycle: what the engine decided, the snapshot it decided on, and how long it took.</summary>
public sealed record CycleOutcome(int Cycle, DateTimeOffset Time, ClusterSnapshot Snapshot, CycleResult Result, CycleTimings Timings, IReadOnlyList<MappingIssue> MappingIssues);
