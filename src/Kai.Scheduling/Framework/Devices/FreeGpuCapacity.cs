using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// GPUs free on a set of nodes, however fragmented (KAI's consolidation gate): whole idle and releasing GPUs, the
/// free part of every shared GPU, and free MIG instances as the GPUs they count — in milli-GPU — and the same as GPU
/// memory in MiB.
/// </summary>
public readonly record struct FreeGpuCapacity(long GpuMilli, long MemoryMiB)
{
    public static FreeGpuCapacity operator +(FreeGpuCapacity a, FreeGpuCapacity b) => new(a.GpuMilli + b.GpuMilli, a.MemoryMiB + b.MemoryMiB);

    /// <summary>What one node has free (KAI's GetSumOfIdleGPUs plus GetSumOfReleasingGPUs, plus MIG portions).</summary>
    public static FreeGpuCapacity Of(NodeState node)
    {
        var gpuMemory = node.Node.GpuMemoryMiB;
        var whole = Math.Max(0, node.Idle.Gpu) + Math.Max(0, node.Releasing.Gpu);
        var gpus = whole;
        var memory = whole / ResourceVector.MilliPerGpu * gpuMemory;
        foreach (var group in node.SharedGpus)
        {
            var allocated = group.RunningMemory + group.ReleasingMemory;
            if (allocated > 0)
            {
                gpus += ResourceVector.MilliPerGpu - Hundredths(allocated, gpuMemory);
                memory += gpuMemory - allocated;
            }

            var releasing = group.ReleasingMemory - group.PipelinedMemory;
            if (releasing > 0 && !group.IsFullyReleasing)
            {
                gpus += Hundredths(releasing, gpuMemory);
                memory += releasing;
            }
        }

        foreach (var profile in node.Node.MigProfiles)
        {
            gpus += Math.Max(0, node.Free.Extended(profile.ExtendedIndex)) * profile.Gpus * ResourceVector.MilliPerGpu;
        }

        return new FreeGpuCapacity(gpus, memory);
    }

    /// <summary>Memory as the milli-GPU share of a device, rounded up to a hundredth (KAI's getGpuMemoryFractionalOnNode).</summary>
    private static long Hundredths(long memory, long gpuMemory) => GpuRequest.CeilingDivide(memory * 100, gpuMemory) * 10;
}
