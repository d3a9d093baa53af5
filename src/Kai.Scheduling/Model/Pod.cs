using System.Collections.Frozen;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Model;

/// <summary>
/// A pod as the engine sees it: immutable, built once per pod version by the cluster adapter and reused by
/// every snapshot until the pod changes.
/// </summary>
public sealed record Pod
{
    public required string Uid { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The pod group it belongs to (annotation <c>pod-group-name</c>), or null.</summary>
    public string? GroupName { get; init; }

    /// <summary>The sub-group (label <c>kai.scheduler/subgroup-name</c>), or null for the default pod set.</summary>
    public string? SubGroupName { get; init; }

    /// <summary>
    /// Effective request as node books count it: max(init containers, sum of containers) plus overhead, with one pod
    /// slot; GPUs are whole devices only (a shared pod's share is in <see cref="Gpu"/>), MIG profiles are extended
    /// resources.
    /// </summary>
    public ResourceVector Request { get; init; } = new(0, 0, 0, 1);

    /// <summary>A share of GPU devices (fraction or memory) or MIG instances, besides the whole GPUs of <see cref="Request"/>.</summary>
    public GpuRequest Gpu { get; init; }

    /// <summary>
    /// The GPU groups (shared devices) the pod is on, from its <c>runai-gpu-group</c> label(s) or its live bind
    /// request's selected groups; empty when it holds none.
    /// </summary>
    public IReadOnlyList<string> GpuGroups { get; init; } = [];

    /// <summary>
    /// A GPU reservation pod (label <c>app=kai-resource-reservation</c>): it holds a shared device for its group on
    /// the node, so it is charged for everything but GPUs (the group already counts the device).
    /// </summary>
    public bool IsGpuReservation { get; init; }

    /// <summary>
    /// The Dynamic Resource Allocation claims the pod uses (empty for most pods). Their GPUs, when the claims ask
    /// for GPUs, are whole GPUs of <see cref="Request"/> (of one pod per shared claim).
    /// </summary>
    public IReadOnlyList<PodClaim> Claims { get; init; } = [];

    /// <summary>What kind of GPU the pod asks for: a share, MIG instances, whole devices, or none.</summary>
    public GpuRequestKind GpuKind => Gpu.Kind != GpuRequestKind.None ? Gpu.Kind : Request.Gpu > 0 ? GpuRequestKind.Whole : GpuRequestKind.None;

    public PodStatus Status { get; init; } = PodStatus.Pending;

    /// <summary>The node it is bound to, or the node of its bind request when <see cref="PodStatus.Binding"/>.</summary>
    public string? NodeName { get; init; }

    /// <summary>Whether this scheduler places it; other pods only take capacity.</summary>
    public bool IsScheduledByUs { get; init; } = true;

    public DateTimeOffset CreationTimestamp { get; init; }

    public PlacementConstraints Constraints { get; init; } = PlacementConstraints.None;

    /// <summary>The pod's labels (what other pods' affinity terms select).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary><c>status.nominatedNodeName</c>: the node a controller or scheduler meant for it, or null.</summary>
    public string? NominatedNodeName { get; init; }

    /// <summary>The pod's role in its workload, from the kubeflow and ray labels.</summary>
    public PodRole Role { get; init; } = PodRole.Worker;

    /// <summary>Label <c>kai.scheduler/task-priority</c>, when present and an integer.</summary>
    public int? OrderPriority { get; init; }

    /// <summary>Whether the <c>kai.scheduler/task-priority</c> label is present but not an integer.</summary>
    public bool HasInvalidOrderPriority { get; init; }

    /// <summary>
    /// Why this pod cannot be scheduled at all, e.g. it asks for a feature not implemented; it then waits with this
    /// explanation instead of being placed wrongly. Null for schedulable pods.
    /// </summary>
    public string? Unsupported { get; init; }

    public PodKey Key => new(Namespace, Name);

    public override string ToString() => Key.ToString();
}
