using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// How GPUs of every kind count in queues (KAI's proportion units): whole GPUs, a fraction × its devices, MIG
/// instances as g × count, and a GPU memory request as the fraction of a device it takes on its node
/// (<c>ceil(memory / gpuMemory × 100) / 100</c> per device). All in milli-GPU; CPU and memory as they are.
/// </summary>
public static class GpuAccounting
{
    /// <summary>
    /// The pod's request in queue units as KAI's job-level checks read it (its ResReq): a GPU memory request counts
    /// no GPUs here, since how many it takes depends on the node.
    /// </summary>
    public static ResourceVector QueueRequest(Pod pod)
    {
        var request = pod.Request.QueueResources;
        return pod.Gpu.Kind switch
        {
            GpuRequestKind.Fraction => request.WithGpu(request.Gpu + (pod.Gpu.PortionMilli * pod.Gpu.Devices)),
            GpuRequestKind.Mig => request.WithGpu(request.Gpu + pod.Gpu.MigMilli),
            _ => request,
        };
    }

    /// <summary>
    /// What a pending pod counts in its queue's request and its group's initial request: a GPU memory request is
    /// converted with the smallest GPU memory of the cluster's nodes (<paramref name="minGpuMemoryMiB"/>).
    /// </summary>
    public static ResourceVector PendingQueueRequest(Pod pod, long minGpuMemoryMiB) =>
        pod.Gpu.Kind == GpuRequestKind.Memory ? WithShare(pod, minGpuMemoryMiB) : QueueRequest(pod);

    /// <summary>What a placed pod counts in its queue on a node whose GPUs have <paramref name="gpuMemoryMiB"/> each (KAI's accepted resources).</summary>
    public static ResourceVector Accepted(Pod pod, long gpuMemoryMiB) =>
        pod.Gpu.Kind == GpuRequestKind.Memory ? WithShare(pod, gpuMemoryMiB) : QueueRequest(pod);

    /// <summary>The share of each device the pod receives on such a node, milli-GPU (0 when it does not share GPUs).</summary>
    public static long PortionOn(Pod pod, long gpuMemoryMiB) => pod.Gpu.IsShared ? pod.Gpu.PortionMilliOn(gpuMemoryMiB) : 0;

    /// <summary>What a node gives the queues: CPU, memory, and its GPUs plus its MIG instances as g × count.</summary>
    public static ResourceVector QueueCapacity(Node node)
    {
        var capacity = node.Allocatable.QueueResources;
        if (node.MigProfiles.Count == 0)
        {
            return capacity;
        }

        var mig = 0L;
        foreach (var profile in node.MigProfiles)
        {
            mig += node.Allocatable.Extended(profile.ExtendedIndex) * profile.Gpus * ResourceVector.MilliPerGpu;
        }

        return capacity.WithGpu(capacity.Gpu + mig);
    }

    private static ResourceVector WithShare(Pod pod, long gpuMemoryMiB)
    {
        var request = pod.Request.QueueResources;
        return request.WithGpu(request.Gpu + (pod.Gpu.Devices * pod.Gpu.PortionMilliOn(gpuMemoryMiB)));
    }
}
