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
    IReadOnlyList<DiagnosticReport> Diagnostics,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ResourceClaimReport>? ResourceClaims = null,
    IReadOnlyList<NodeReport>? Nodes = null)
{
    /// <summary>The report of a run that could not start (no usable input, an unusable configuration): no cycles, only its diagnostics.</summary>
    public static SimulationReport NotRun(IReadOnlyList<DiagnosticReport> diagnostics, DateTimeOffset start = default) =>
        new(0, start, start, [], [], [], [], diagnostics, Nodes: []);
}

/// <summary>A node's devices after the last cycle (see docs/simulate-json.md).</summary>
/// <param name="Gpus">Whole GPU devices (nvidia.com/gpu, GPUs of its ResourceSlices included).</param>
/// <param name="GpuMemoryMiB">Memory of each GPU (label nvidia.com/gpu.memory), null when the node does not say.</param>
/// <param name="IdleGpus">Devices held by no pod and no GPU group (pipelined pods wait for releasing ones and take none).</param>
/// <param name="WholeGpus">GPUs held by pods that ask for whole devices.</param>
/// <param name="GpuGroups">The shared GPUs, by id: each is one device.</param>
/// <param name="Mig">MIG instances per profile.</param>
/// <param name="DraDevices">The devices of its ResourceSlices.</param>
public sealed record NodeReport(
    string Name,
    long Gpus,
    long? GpuMemoryMiB,
    int IdleGpus,
    GpuUseReport WholeGpus,
    IReadOnlyList<GpuGroupReport> GpuGroups,
    IReadOnlyList<MigReport> Mig,
    IReadOnlyList<DraDeviceReport> DraDevices);

/// <param name="Allocated">By running, bound and binding pods.</param>
/// <param name="Pipelined">By pods placed in the last cycle on GPUs still being released.</param>
/// <param name="Releasing">By pods being deleted (evicted, finished).</param>
public sealed record GpuUseReport(int Allocated, int Pipelined, int Releasing);

/// <summary>A shared GPU (GPU group): one device of the node that sharing pods hold parts of.</summary>
/// <param name="Id">As in the pods' <c>runai-gpu-group</c> label.</param>
/// <param name="Pods">The pods on it (namespace/name), releasing ones included.</param>
/// <param name="Share">The share (0–1) of the device held by running, bound, binding and pipelined pods.</param>
/// <param name="ReleasingShare">The share held by releasing pods.</param>
/// <param name="MemoryMiB">The device memory of <paramref name="Share"/>.</param>
/// <param name="ReleasingMemoryMiB">The device memory of <paramref name="ReleasingShare"/>.</param>
public sealed record GpuGroupReport(string Id, IReadOnlyList<string> Pods, decimal Share, decimal ReleasingShare, long MemoryMiB, long ReleasingMemoryMiB);

/// <param name="Resource">The MIG resource, e.g. <c>nvidia.com/mig-1g.10gb</c>.</param>
/// <param name="Capacity">Instances the node offers.</param>
/// <param name="Used">Instances held by pods (allocated, pipelined or releasing).</param>
public sealed record MigReport(string Resource, long Capacity, long Used);

/// <param name="Device">driver/pool/device, as in a claim's allocation.</param>
/// <param name="Gpu">Whether the driver is a GPU driver (its devices count as GPUs).</param>
/// <param name="Claim">The claim (namespace/name) allocated this device, or null.</param>
public sealed record DraDeviceReport(string Device, bool Gpu, string? Claim);

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

/// <summary>A DRA claim after the last cycle: where it is allocated and for which pods (Kubernetes' claim status).</summary>
public sealed record ResourceClaimReport(string Namespace, string Name, ClaimReportStatus Status);

/// <param name="Allocation">The claim's <c>status.allocation</c> (devices and node selector), null while unallocated.</param>
/// <param name="ReservedFor">The claim's <c>status.reservedFor</c>: the pods using it.</param>
/// <param name="Node">The node it is allocated on, for reading.</param>
/// <param name="Devices">Its devices as <c>driver/pool/device</c>, for reading.</param>
public sealed record ClaimReportStatus(
    k8s.Models.V1AllocationResult? Allocation,
    IReadOnlyList<k8s.Models.V1ResourceClaimConsumerReference>? ReservedFor,
    string? Node,
    IReadOnlyList<string> Devices)
{
    internal static ClaimReportStatus Of(k8s.Models.V1ResourceClaimStatus status) => new(
        status.Allocation,
        status.ReservedFor is { Count: > 0 } r ? [.. r] : null,
        status.Allocation?.NodeSelector?.NodeSelectorTerms?.SelectMany(t => t.MatchFields ?? []).FirstOrDefault(f => f.Key == "metadata.name")?.Values?.FirstOrDefault(),
        [.. status.Allocation?.Devices?.Results?.Select(d => $"{d.Driver}/{d.Pool}/{d.Device}") ?? []]);
}
