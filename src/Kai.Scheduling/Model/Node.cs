using System.Collections.Frozen;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Model;

/// <summary>A node as the engine sees it: immutable, rebuilt only when the node object changes.</summary>
public sealed class Node
{
    public required string Name { get; init; }

    /// <summary>Allocatable resources (else capacity), including pod slots.</summary>
    public ResourceVector Allocatable { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = FrozenDictionary<string, string>.Empty;

    public IReadOnlyList<Taint> Taints { get; init; } = [];

    /// <summary><c>spec.unschedulable</c> (cordoned).</summary>
    public bool Unschedulable { get; init; }

    /// <summary>The Ready condition is True.</summary>
    public bool Ready { get; init; } = true;

    /// <summary>A memory, disk, PID or network pressure condition is True (excluded from the fair-share total).</summary>
    public bool UnderPressure { get; init; }

    /// <summary>GPU count from the <c>nvidia.com/gpu.count</c> label, else from allocatable.</summary>
    public long GpuCount { get; init; }

    /// <summary>Default per-GPU memory (MiB) of a node without the <c>nvidia.com/gpu.memory</c> label (KAI's DefaultGpuMemory).</summary>
    public const long DefaultGpuMemoryMiB = 100;

    /// <summary>
    /// Memory of each GPU in MiB, from the <c>nvidia.com/gpu.memory</c> label (floored to hundreds), else
    /// <see cref="DefaultGpuMemoryMiB"/>: shares by fraction are converted to memory with it.
    /// </summary>
    public long GpuMemoryMiB { get; init; } = DefaultGpuMemoryMiB;

    /// <summary>Whether <see cref="GpuMemoryMiB"/> comes from the node's label (pods asking for GPU memory need it).</summary>
    public bool GpuMemorySynced { get; init; }

    /// <summary>MIG is enabled (label <c>node-role.kubernetes.io/mig-enabled</c>, else any allocatable MIG profile).</summary>
    public bool MigEnabled { get; init; }

    /// <summary>The MIG strategy (label <c>nvidia.com/mig.strategy</c>); <see cref="MigStrategy.None"/> unless MIG is enabled.</summary>
    public MigStrategy MigStrategy { get; init; }

    /// <summary>The node's MIG profiles: extended-resource index and the GPUs one instance counts (g of <c>&lt;g&gt;g.&lt;m&gt;gb</c>).</summary>
    public IReadOnlyList<MigProfile> MigProfiles { get; init; } = [];

    /// <summary>
    /// Devices the node reaches through ResourceSlices for Dynamic Resource Allocation — its own slices', then those of
    /// slices for all nodes — in slice and device order (GPUs among them are also in <see cref="Allocatable"/>, as KAI
    /// counts them). The session's <see cref="Framework.Devices.DraBook"/> says which claim holds each.
    /// </summary>
    public IReadOnlyList<DraDevice> DraDevices { get; init; } = [];

    /// <summary>A node without GPUs (KAI's resource-type plugin prefers these for CPU-only pods); MIG nodes have GPUs.</summary>
    public bool IsCpuOnly => Allocatable.Gpu == 0 && !MigEnabled;

    /// <summary>Whether pods that ask for any kind of GPU may be placed here: whole GPUs or MIG instances.</summary>
    public bool HasGpus => Allocatable.Gpu > 0 || MigEnabled;

    /// <summary>Whether new pods may be placed here at all.</summary>
    public bool IsSchedulable => Ready && !Unschedulable;

    public NodeName Key => new(Name);

    public override string ToString() => Name;
}

/// <summary>KAI's MIG strategies (node label <c>nvidia.com/mig.strategy</c>).</summary>
public enum MigStrategy
{
    /// <summary>No MIG, or no (or an unknown) strategy label: no MIG rule applies.</summary>
    None,

    /// <summary>Every GPU is split the same way and exposed as <c>nvidia.com/gpu</c>: only whole-GPU pods run here.</summary>
    Single,

    /// <summary>Instances are exposed per profile (<c>nvidia.com/mig-1g.5gb</c>...): only MIG pods run here.</summary>
    Mixed,
}

/// <summary>A MIG profile of a node: its extended-resource index and the GPUs one instance counts (the g of <c>&lt;g&gt;g.&lt;m&gt;gb</c>).</summary>
public readonly record struct MigProfile(int ExtendedIndex, int Gpus);
