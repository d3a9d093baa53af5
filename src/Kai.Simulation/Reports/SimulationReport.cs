namespace Kai.Simulation.Reports;

/// <summary>
/// The state right after the last cycle of a simulation, and every decision made on the way. This is the
/// contract of <c>kai simulate --output json</c> (see docs/simulate-json.md): CPU in cores, memory in bytes,
/// GPUs in GPUs, all as decimals.
/// </summary>
public sealed record SimulationReport(
    int Cycles,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<PodReport> Pods,
    IReadOnlyList<PodGroupReport> PodGroups,
    IReadOnlyList<QueueReport> Queues,
    IReadOnlyList<DecisionReport> Decisions,
    IReadOnlyList<DiagnosticReport> Diagnostics);

/// <param name="Status">KAI's vocabulary: Pending, Binding, Running, Pipelined, Releasing, Succeeded, Failed, Gated (also Bound, Unknown).</param>
public sealed record PodReport(string Namespace, string Name, string? PodGroup, string? Queue, string Status, string? Node, IReadOnlyList<string> GpuGroups);

/// <param name="Status">Running, Binding, Pipelined, Releasing, Pending, NotReady, Succeeded or Failed (see docs/simulate-json.md).</param>
/// <param name="Reasons">Why it is pending, with KAI's reason names.</param>
public sealed record PodGroupReport(string Namespace, string Name, string Queue, int Priority, int MinMember, string Status, IReadOnlyList<ReasonReport> Reasons);

public sealed record ReasonReport(string Reason, string Message);

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
public sealed record DecisionReport(int Cycle, string Action, string Kind, string Pod, string? Node);

/// <param name="Severity">warning or error.</param>
/// <param name="Source">File and document, when the problem comes from an input file.</param>
/// <param name="Object">The object concerned, e.g. "Queue team-a".</param>
public sealed record DiagnosticReport(string Severity, string? Source, string? Object, string Message);
