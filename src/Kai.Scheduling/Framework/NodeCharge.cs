using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework;

/// <summary>
/// What pods hold of a node as <see cref="NodeState"/> books it (idle, releasing, used), without the shares of
/// shared GPUs: the part of a node's books that sums pod by pod, in any order.
/// </summary>
internal readonly record struct NodeCharge(ResourceVector Idle, ResourceVector Releasing, ResourceVector Used)
{
    /// <summary>A node no pod holds anything of.</summary>
    public static NodeCharge Empty(Node node) => new(node.Allocatable, ResourceVector.Zero, ResourceVector.Zero);

    /// <summary>The books once a pod in <paramref name="status"/> holds <paramref name="request"/> (the rule of <see cref="NodeState"/>).</summary>
    public NodeCharge With(in ResourceVector request, PodStatus status) => status switch
    {
        PodStatus.Releasing => new(Idle - request, Releasing + request, Used + request),
        PodStatus.Pipelined => new(Idle, Releasing - request, Used + request),
        _ => new(Idle - request, Releasing, Used + request),
    };

    /// <summary>The books once such a pod no longer holds it.</summary>
    public NodeCharge Without(in ResourceVector request, PodStatus status) => status switch
    {
        PodStatus.Releasing => new(Idle + request, Releasing - request, Used - request),
        PodStatus.Pipelined => new(Idle, Releasing + request, Used - request),
        _ => new(Idle + request, Releasing, Used - request),
    };
}
