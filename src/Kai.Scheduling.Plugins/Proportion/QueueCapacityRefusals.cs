using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// <see cref="ProportionPlugin.CheckJob"/>'s refusal of a job that would take a queue over its limit, written when read:
/// most are asked for inside victim searches' simulations, which read only that the job was refused.
/// </summary>
internal sealed class QueueLimitRefusal(string queue, QueueResource resource, long limit, long allocated, long requested) : DeferredReason
{
    /// <summary>The words, from the amounts as they were when the job was refused.</summary>
    public static string Words(string queue, QueueResource resource, long limit, long allocated, long requested) =>
        $"queue {queue} has reached its {QueueResourceValues.KubernetesName(resource)} limit: limit is {QueueResourceValues.Format(resource, limit)}, " +
        $"{QueueResourceValues.Format(resource, allocated)} are allocated and the workload requests {QueueResourceValues.Format(resource, requested)}.";

    protected override string Write() => Words(queue, resource, limit, allocated, requested);
}

/// <summary>
/// <see cref="ProportionPlugin.CheckJob"/>'s refusal of a non-preemptible job that would take its queue's non-preemptible
/// pods over quota, written when read.
/// </summary>
internal sealed class NonPreemptibleQuotaRefusal(string queue, QueueResource resource, long quota, long nonPreemptible, long requested) : DeferredReason
{
    /// <summary>The words, from the amounts as they were when the job was refused.</summary>
    public static string Words(string queue, QueueResource resource, long quota, long nonPreemptible, long requested) =>
        $"non-preemptible workload is over quota: it requests {QueueResourceValues.Format(resource, requested)}, queue {queue} quota is " +
        $"{QueueResourceValues.Format(resource, quota)}, and {QueueResourceValues.Format(resource, nonPreemptible)} are already allocated to non-preemptible pods. " +
        "Use a preemptible workload (priority below 100, or preemptibility: preemptible) to go over quota.";

    protected override string Write() => Words(queue, resource, quota, nonPreemptible, requested);
}
