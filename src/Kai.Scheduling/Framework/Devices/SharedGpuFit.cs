using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// Whether a pod that shares GPUs fits a node (KAI's fit of fractional and GPU-memory pods): its other resources as
/// any pod's, and for its devices the node's whole free GPUs plus its open GPU groups with room for its share must
/// be at least <see cref="GpuRequest.Devices"/>; a share larger than a device never fits.
/// </summary>
public static class SharedGpuFit
{
    /// <summary>GPU memory (MiB) the pod's share takes on each device of the node.</summary>
    public static long MemoryOn(ISessionView session, int pod, NodeState node) => session.Snapshot.Pods[pod].Gpu.MemoryOn(node.Node.GpuMemoryMiB);

    /// <summary>Whether an open GPU group of the node has room for the pod's share (gpusharingorder's condition).</summary>
    public static bool FitsOpenGroup(ISessionView session, int pod, NodeState node)
    {
        var gpu = session.Snapshot.Pods[pod].Gpu;
        return gpu.IsShared && node.SharedGpus.Count > 0 && node.SharedGpuBook.AnyFits(gpu.MemoryOn(node.Node.GpuMemoryMiB));
    }

    /// <summary>Whether the pod fits idle capacity: it can bind now (nodeavailability's condition; KAI's IsTaskAllocatable).</summary>
    public static bool FitsIdle(ISessionView session, int pod, NodeState node) => Fits(session, pod, node, node.Idle);

    /// <summary>Whether the pod fits idle plus releasing capacity: it can at least be pipelined.</summary>
    public static bool FitsFree(ISessionView session, int pod, NodeState node) => Fits(session, pod, node, node.Free);

    /// <summary>Whole GPUs of a GPU amount, rounded down (negative while pipelined pods wait for more than is releasing).</summary>
    internal static long WholeGpus(long gpuMilli) => gpuMilli >= 0 ? gpuMilli / ResourceVector.MilliPerGpu : -((-gpuMilli + ResourceVector.MilliPerGpu - 1) / ResourceVector.MilliPerGpu);

    private static bool Fits(ISessionView session, int pod, NodeState node, in ResourceVector capacity)
    {
        var definition = session.Snapshot.Pods[pod];
        if (!definition.Request.FitsInExceptGpu(capacity))
        {
            return false;
        }

        var gpuMemory = node.Node.GpuMemoryMiB;
        var memory = definition.Gpu.MemoryOn(gpuMemory);
        if (memory > gpuMemory)
        {
            return false;
        }

        var devices = definition.Gpu.Devices;
        var whole = WholeGpus(capacity.Gpu);
        if (whole >= devices)
        {
            return true;
        }

        return node.SharedGpus.Count > 0 && whole + node.SharedGpuBook.CountFitting(memory, devices) >= devices;
    }
}
