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

    /// <summary>A node without GPUs (KAI's resource-type plugin prefers these for CPU-only pods).</summary>
    public bool IsCpuOnly => Allocatable.Gpu == 0;

    /// <summary>Whether new pods may be placed here at all.</summary>
    public bool IsSchedulable => Ready && !Unschedulable;

    public NodeName Key => new(Name);

    public override string ToString() => Name;
}
