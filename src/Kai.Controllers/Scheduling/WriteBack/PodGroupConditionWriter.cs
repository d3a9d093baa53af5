using System.Globalization;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Explanations;
using PodGroup = Kai.Cluster.Crds.PodGroup;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>Writes why a pod group waits into its <c>status.schedulingConditions</c>, as KAI does (one condition per node pool).</summary>
internal sealed class PodGroupConditionWriter(ICluster cluster, TimeProvider time)
{
    /// <returns>Whether the condition was written (false when the group changed or went meanwhile).</returns>
    public async ValueTask<bool> WriteAsync(PodGroup group, GroupExplanation explanation, CancellationToken cancellationToken)
    {
        var status = group.Status ?? new PodGroupStatus();
        var conditions = (status.SchedulingConditions ?? []).ToList();
        var transition = conditions.Select(c => int.TryParse(c.TransitionID, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0).DefaultIfEmpty(0).Max() + 1;
        conditions.RemoveAll(c => c.NodePool == KaiConventions.DefaultNodePool);
        conditions.Add(new SchedulingCondition
        {
            Type = SchedulingCondition.UnschedulableOnNodePool,
            NodePool = KaiConventions.DefaultNodePool,
            Reason = "Unschedulable",
            Message = explanation.FullMessage,
            Reasons = [new UnschedulableExplanation { Reason = explanation.Reason, Message = explanation.Message },
                .. explanation.Notes.Select(n => new UnschedulableExplanation { Reason = "Unschedulable", Message = n.ToString() })],
            TransitionID = transition.ToString(CultureInfo.InvariantCulture),
            LastTransitionTime = time.GetUtcNow().UtcDateTime,
            Status = "True",
        });

        var updated = KubeObjects.ShallowCopy(group);
        updated.Status = KubeObjects.ShallowCopy(status);
        updated.Status.SchedulingConditions = conditions;
        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Changed or gone meanwhile; the next cycle writes it again.
            return false;
        }
    }
}
