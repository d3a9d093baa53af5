using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's consolidation: when a preemptible pod group does not fit only because free GPUs are scattered over
/// nodes, move running preemptible pods (any queue) so it fits — accepted only if every moved pod is placed
/// again, and at most <see cref="SchedulerConfiguration.MaxConsolidationPreemptees"/> groups move.
/// </summary>
internal sealed class ConsolidationAction : DisruptiveAction
{
    public override ActionKind Kind => ActionKind.Consolidation;

    protected override bool RequireAllReplaced => true;

    protected override int MaxVictimJobs(Session session) => session.Configuration.MaxConsolidationPreemptees;

    protected override bool IsEnabled(Session session) => session.Configuration.MaxConsolidationPreemptees > 0;

    protected override bool IsCandidate(Session session, int group) => session.IsPreemptible(group);

    /// <summary>
    /// Only when the free GPUs of ready nodes — whole, the free parts of shared GPUs and MIG instances — would suffice
    /// if they were not fragmented, and so would their free GPU memory for pods asking for memory (KAI's gate; a
    /// CPU-only group passes it, so scattered CPU is consolidated too).
    /// </summary>
    protected override PluginStatus CheckPreemptor(Session session, int group)
    {
        var need = session.Quantum.InitRequest(group).Gpu;
        var memory = 0L;
        foreach (var pod in session.Quantum.PodsToAllocate(group))
        {
            var gpu = session.Snapshot.Pods[pod].Gpu;
            memory += gpu.Kind == GpuRequestKind.Memory ? gpu.MemoryMiB * gpu.Devices : 0;
        }

        if (need == 0 && memory == 0)
        {
            return PluginStatus.Success;
        }

        var free = session.SchedulableFreeGpus;
        if (free.GpuMilli < need)
        {
            return Rejected($"the cluster has {free.GpuMilli / 1000.0:0.##} free GPUs in all, fewer than the {need / 1000.0:0.##} needed, so moving pods cannot help");
        }

        return free.MemoryMiB >= memory
            ? PluginStatus.Success
            : Rejected($"the cluster has {free.MemoryMiB} MiB of free GPU memory in all, less than the {memory} MiB needed, so moving pods cannot help");
    }

    protected override int SkipScope(Session session, int group) => -1;

    protected override PluginStatus CheckVictim(Session session, int preemptor, int victim) =>
        session.IsPreemptible(victim) ? PluginStatus.Success : Rejected("non-preemptible");
}
