using Kai.Scheduling.Framework.Devices;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Orders the GPUs of a node for a pod that shares GPUs (KAI's GPU order): the open GPU groups the pod fits into
/// and the node's whole free GPUs (each a new group) are scored, the scores of all plugins summed, and the pod
/// takes the best <see cref="Model.GpuRequest.Devices"/> of them (ties: groups by id, then whole GPUs).
/// </summary>
/// <remarks>
/// Contract: a pure (idempotent) function of the pod, the node's books and the group, no side effects, called
/// from one thread for every candidate GPU of a chosen node.
/// </remarks>
public interface IGpuOrderPlugin : ISchedulerPlugin
{
    /// <param name="session">The session.</param>
    /// <param name="pod">The pod that shares GPUs.</param>
    /// <param name="node">The node it is being placed on.</param>
    /// <param name="group">An open GPU group with room for the pod, or null for a whole free GPU.</param>
    double ScoreGpu(ISessionView session, int pod, NodeState node, GpuGroup? group);
}
