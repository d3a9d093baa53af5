using k8s.Models;
using Kai.Cluster.Port;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>Turns an evict decision into a pod deletion (graceful: the pod releases its node until it is gone).</summary>
internal sealed class EvictionWriter(ICluster cluster)
{
    /// <returns>Whether the pod was deleted now (false when it was gone already).</returns>
    public async ValueTask<bool> WriteAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.DeleteAsync<V1Pod>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            return false;
        }
    }
}
