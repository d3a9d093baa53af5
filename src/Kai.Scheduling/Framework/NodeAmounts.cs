using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework;

/// <summary>The resource placement orders nodes by: GPUs for a pod that requests them, else CPU.</summary>
public enum PlacementResource
{
    Gpu,
    Cpu,
}

/// <summary>How much of a placement resource a node has free and in total, as placement scores and the node index read it.</summary>
public static class NodeAmounts
{
    /// <summary>Free GPUs (milli) or millicores: idle plus releasing.</summary>
    public static long Free(NodeState node, PlacementResource resource) =>
        resource == PlacementResource.Gpu ? node.Idle.Gpu + node.Releasing.Gpu : node.Idle.Cpu + node.Releasing.Cpu;

    /// <summary>The node's GPUs (label <c>nvidia.com/gpu.count</c>, else allocatable) or millicores.</summary>
    public static long Total(NodeState node, PlacementResource resource) =>
        resource == PlacementResource.Gpu
            ? (node.Node.GpuCount > 0 ? node.Node.GpuCount * ResourceVector.MilliPerGpu : node.Node.Allocatable.Gpu)
            : node.Node.Allocatable.Cpu;
}
