using k8s.Models;
using Kai.Cluster.Port;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Turns an evict decision into a pod deletion (graceful: the pod releases its node until it is gone), or, with
/// <see cref="EvictionMode.EvictionApi"/>, into an eviction that a PodDisruptionBudget may refuse for now.
/// </summary>
internal sealed class EvictionWriter(ICluster cluster, EvictionMode mode)
{
    /// <returns>Whether the pod is going now (false when it was gone already or its disruption budget refused).</returns>
    public async ValueTask<bool> WriteAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        try
        {
            if (mode == EvictionMode.EvictionApi)
            {
                await cluster.EvictPodAsync(decision.Pod.Namespace, decision.Pod.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await cluster.DeleteAsync<V1Pod>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            return false;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.TooManyRequests)
        {
            // A disruption budget protects the pod for now: it keeps running and the next cycle decides again.
            return false;
        }
    }
}
