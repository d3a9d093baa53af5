namespace Kai.Simulation.Reports;

/// <summary>
/// The state right after the last cycle of a simulation, and every decision made on the way. This is the
/// contract of <c>kai simulate --output json</c> (see docs/simulate-json.md): CPU in cores, memory in bytes,
/// GPUs in GPUs, all as decimals. Fields are only ever added.
/// </summary>
public sealed record SimulationReport(
    int Cycles,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<PodReport> Pods,
    IReadOnlyList<PodGroupReport> PodGroups,
    IReadOnlyList<QueueReport> Queues,
    IReadOnlyList<DecisionReport> Decisions,
    IReadOnlyList<DiagnosticReport> Diagnostics)
{
    /// <summary>The report of a run that could not start (no usable input, an unusable configuration): no cycles, only its diagnostics.</summary>
    public static SimulationReport NotRun(IReadOnlyList<DiagnosticReport> diagnostics, DateTimeOffset start = default) =>
        new(0, start, start, [], [], [], [], diagnostics);
}

/// <param name="Status">KAI's vocabulary: Pending, Binding, Running, Pipelined, Releasing, Succeeded, Failed, Gated (also Bound, Unknown).</param>
/// <param name="PreviousNode">The node the pod left when the last cycle moved it (consolidation, or a victim re-placed by reclaim or preempt); it is then <c>Pipelined</c> on <paramref name="Node"/>.</param>
public sealed record PodReport(
    string Namespace,
    string Name,
    string? PodGroup,
    string? Queue,
    string Status,
    string? Node,
    IReadOnlyList<string> GpuGroups,
    string? PreviousNode = null);

/// <param name="Status">Running, Binding, Pipelined, Releasing, Pending, NotReady, Succeeded or Failed (see docs/simulate-json.md).</param>
/// <param name="Reasons">Why it is pending, with KAI's reason names.</param>
/// <param name="Evictions">Why its pods were evicted or moved, cycle by cycle.</param>
/// <param name="Topology">For a group with topology constraints: the domains its pods (and each constrained sub-group's) are in; null otherwise.</param>
public sealed record PodGroupReport(
    string Namespace,
    string Name,
    string Queue,
    int Priority,
    int MinMember,
    string Status,
    IReadOnlyList<ReasonReport> Reasons,
    IReadOnlyList<EvictionReport>? Evictions = null,
    IReadOnlyList<TopologyPlacementReport>? Topology = null);

/// <summary>The domains of one topology level that hold the pods of a pod group or of one of its sub-groups.</summary>
/// <param name="SubGroup">The constrained sub-group, or null for the pod group's own constraint.</param>
/// <param name="Topology">The Topology object's name.</param>
/// <param name="Level">The level's node label (a constraint with both a required and a preferred level has a report for each).</param>
/// <param name="Required">Whether <paramref name="Level"/> is the required level (then there is exactly one domain) or the preferred one.</param>
/// <param name="Domains">Domain ids: the label values from the top level down to <paramref name="Level"/>, joined by dots.</param>
public sealed record TopologyPlacementReport(string? SubGroup, string Topology, string Level, bool Required, IReadOnlyList<string> Domains);

public sealed record ReasonReport(string Reason, string Message);

/// <summary>One disruption of a pod group: the pods one action evicted or moved in one cycle, and for whom.</summary>
/// <param name="Cycle">The cycle it happened in.</param>
/// <param name="Action">consolidation, reclaim, preempt or stalegangeviction.</param>
/// <param name="Pods">The pods evicted (namespace/name).</param>
/// <param name="MovedTo">Pod (namespace/name) to the node it was re-placed on, for pods moved rather than only evicted.</param>
/// <param name="ForPodGroup">The pod group whose placement required it (namespace/name), when there is one.</param>
/// <param name="ForQueue">That pod group's queue.</param>
/// <param name="Message">The story in one sentence, e.g. "reclaimed by queue team-a for pod group team-a/train".</param>
public sealed record EvictionReport(
    int Cycle,
    string Action,
    IReadOnlyList<string> Pods,
    IReadOnlyDictionary<string, string> MovedTo,
    string? ForPodGroup,
    string? ForQueue,
    string Message);

public sealed record QueueReport(
    string Name,
    string? Parent,
    int Priority,
    ResourceAmounts FairShare,
    ResourceAmounts Allocated,
    ResourceAmounts Requested,
    ResourceAmounts Quota,
    ResourceAmounts Limit);

/// <summary>CPU in cores, memory in bytes, GPUs; -1 means unlimited (quota and limit only).</summary>
public sealed record ResourceAmounts(decimal Cpu, decimal Memory, decimal Gpu);

/// <param name="Kind">bind, pipeline or evict.</param>
/// <param name="Pod">namespace/name.</param>
/// <param name="Cause">For evictions: the pod group whose placement required it (namespace/name), or why a stale gang was evicted.</param>
public sealed record DecisionReport(int Cycle, string Action, string Kind, string Pod, string? Node, string? Cause = null);

/// <param name="Severity">error, warning or info.</param>
/// <param name="Source">File and line, when the problem comes from an input file.</param>
/// <param name="Object">The object concerned, e.g. "Queue team-a".</param>
public sealed record DiagnosticReport(string Severity, string? Source, string? Object, string Message);
