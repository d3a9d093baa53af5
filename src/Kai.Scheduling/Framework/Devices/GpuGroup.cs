using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// One shared GPU of a node (KAI's GPU group): the device that pods sharing it by fraction or by memory are placed
/// on, with the memory (MiB) they hold by status. A group exists while some pod holds it; it takes one whole GPU
/// out of the node's idle GPUs (or releasing ones, see <see cref="Charge"/>).
/// </summary>
/// <remarks>
/// Its books change only through the session (<see cref="NodeGpuBook"/>), so a statement's rollback restores them
/// exactly: they are sums over the pods it holds, and a pod's removal undoes its addition.
/// </remarks>
public sealed class GpuGroup
{
    internal GpuGroup(string id, int node)
    {
        Id = id;
        Node = node;
    }

    /// <summary>The group's id (label <c>runai-gpu-group</c>); the binder's reservation pod holds the device for it.</summary>
    public string Id { get; }

    /// <summary>Index of the node the device is on.</summary>
    public int Node { get; }

    /// <summary>Memory held by pods that are allocated, binding, bound or running here.</summary>
    public long RunningMemory { get; private set; }

    /// <summary>Memory held by pods being evicted or terminating: free once they are gone.</summary>
    public long ReleasingMemory { get; private set; }

    /// <summary>Memory reserved by pods pipelined here: they wait for releasing memory.</summary>
    public long PipelinedMemory { get; private set; }

    public int RunningPods { get; private set; }

    public int ReleasingPods { get; private set; }

    public int PipelinedPods { get; private set; }

    /// <summary>Pods holding the group in any status.</summary>
    public int Pods => RunningPods + ReleasingPods + PipelinedPods;

    /// <summary>Memory held in any status (KAI's used memory; gpupack orders by it).</summary>
    public long UsedMemory => RunningMemory + ReleasingMemory + PipelinedMemory;

    /// <summary>Whether new sharers may join: some pod holding it is not on its way out (KAI: not all released).</summary>
    public bool IsOpen => RunningPods + PipelinedPods > 0;

    /// <summary>Whether the group holds its device now (a running or releasing pod is on it), not only by promise to pipelined pods.</summary>
    public bool HoldsDevice => RunningPods + ReleasingPods > 0;

    /// <summary>Every pod holding it is being released: once they are gone the whole device is free.</summary>
    public bool IsFullyReleasing => RunningPods == 0 && PipelinedPods == 0 && ReleasingPods > 0;

    /// <summary>Memory a new sharer may count on when pipelined: device memory less what running and pipelined pods hold.</summary>
    public long FreeMemory(long gpuMemoryMiB) => gpuMemoryMiB - RunningMemory - PipelinedMemory;

    /// <summary>Memory free right now, without waiting for releasing pods (a sharer binds only if its memory fits here).</summary>
    public long IdleMemory(long gpuMemoryMiB) => gpuMemoryMiB - RunningMemory - ReleasingMemory;

    /// <summary>Whether a sharer needing <paramref name="memory"/> MiB may join (KAI's IsTaskFitOnGpuGroup).</summary>
    public bool Fits(long memory, long gpuMemoryMiB) => IsOpen && FreeMemory(gpuMemoryMiB) >= memory;

    public override string ToString() => $"{Id}: running {RunningMemory}, releasing {ReleasingMemory}, pipelined {PipelinedMemory} MiB";

    /// <summary>
    /// What the group takes of the node's whole-GPU books, in milli-GPU (KAI's node accounting of shared GPUs, as a
    /// function of the group's state so that any order of changes, and their reversal, gives the same books):
    /// held by a running pod (or by releasing pods that pipelined pods wait on) — one GPU out of idle; held only by
    /// releasing pods — out of idle and into releasing, since the whole device frees when they go; held only by
    /// pipelined pods — consumes one releasing GPU, as a pipelined whole-GPU pod does.
    /// </summary>
    internal GpuCharge Charge
    {
        get
        {
            if (Pods == 0)
            {
                return default;
            }

            const long Gpu = ResourceVector.MilliPerGpu;
            if (RunningPods > 0)
            {
                return new GpuCharge(-Gpu, 0, Gpu);
            }

            if (ReleasingPods > 0)
            {
                return PipelinedPods == 0 ? new GpuCharge(-Gpu, Gpu, Gpu) : new GpuCharge(-Gpu, 0, Gpu);
            }

            return new GpuCharge(0, -Gpu, Gpu);
        }
    }

    internal void Add(long memory, PodStatus status) => Change(memory, status, +1);

    internal void Remove(long memory, PodStatus status) => Change(-memory, status, -1);

    private void Change(long memory, PodStatus status, int pods)
    {
        switch (status)
        {
            case PodStatus.Releasing:
                ReleasingMemory += memory;
                ReleasingPods += pods;
                break;
            case PodStatus.Pipelined:
                PipelinedMemory += memory;
                PipelinedPods += pods;
                break;
            default:
                RunningMemory += memory;
                RunningPods += pods;
                break;
        }
    }
}

/// <summary>What a GPU group takes of its node's idle, releasing and used GPUs (milli-GPU; negative takes).</summary>
internal readonly record struct GpuCharge(long Idle, long Releasing, long Used)
{
    public static GpuCharge operator +(GpuCharge a, GpuCharge b) => new(a.Idle + b.Idle, a.Releasing + b.Releasing, a.Used + b.Used);

    public static GpuCharge operator -(GpuCharge a, GpuCharge b) => new(a.Idle - b.Idle, a.Releasing - b.Releasing, a.Used - b.Used);
}
