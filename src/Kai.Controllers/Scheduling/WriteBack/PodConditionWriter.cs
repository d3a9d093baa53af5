using k8s.Models;
using Kai.Cluster.Port;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Marks a pending pod <c>PodScheduled=False</c> with reason Unschedulable and the explanation, as
/// kube-scheduler and KAI do, with an Unschedulable event on the pod; only when the message changed.
/// </summary>
internal sealed class PodConditionWriter(ICluster cluster, SchedulingEventWriter events, TimeProvider time)
{
    private const string PodScheduled = "PodScheduled";

    public async ValueTask MarkUnschedulableAsync(PodKey key, string message, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<V1Pod>(key.Namespace, key.Name, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        var existing = current.Status?.Conditions?.FirstOrDefault(c => c.Type == PodScheduled);
        if (existing is { Status: "False", Reason: "Unschedulable" } && existing.Message == message)
        {
            return;
        }

        await events.PodUnschedulableAsync(current, message, cancellationToken).ConfigureAwait(false);
        var conditions = (current.Status?.Conditions ?? []).Where(c => c.Type != PodScheduled).ToList();
        conditions.Add(new V1PodCondition
        {
            Type = PodScheduled,
            Status = "False",
            Reason = "Unschedulable",
            Message = message,
            LastTransitionTime = time.GetUtcNow().UtcDateTime,
        });
        var status = current.Status is null ? new V1PodStatus { Phase = "Pending" } : current.Status with { Conditions = conditions };
        status.Conditions ??= conditions;
        try
        {
            await cluster.ReplaceStatusAsync(current with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // The pod moved on meanwhile; nothing to mark.
        }
    }
}
