namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Decides whether a pod may run on a node (kube-scheduler's Filter). All predicates must pass.</summary>
/// <remarks>
/// Contract: a pure (idempotent) function of the pod, the node and what it reads of the session, no side effects,
/// safe to call for many nodes in any order; the framework calls it from one thread today, and a static predicate
/// must stay safe to call in parallel.
/// Resources and pod slots are checked by the framework, not by predicates. A <see cref="IsStatic"/> predicate
/// reads only the pod's <see cref="Model.PlacementConstraints"/> and the kind of GPU it asks for
/// (<see cref="Model.Pod.GpuKind"/>), and the node's fixed properties (labels, taints, readiness, GPU memory, MIG):
/// the framework calls it once per constraint signature, GPU kind and node and caches the verdict for the
/// session. A dynamic predicate may read the node's live books (e.g. which pods run there) and is called on
/// every placement attempt. Return <see cref="PluginStatusCode.UnschedulableAndUnresolvable"/> when evicting pods
/// could not help, else <see cref="PluginStatusCode.Unschedulable"/>; equal statuses are counted together in
/// explanations ("8 untolerated taint gpu=reserved"), so keep reasons free of per-node details.
/// </remarks>
public interface INodePredicatePlugin : ISchedulerPlugin
{
    /// <summary>Whether the verdict depends only on the pod's constraints and the node's fixed properties.</summary>
    bool IsStatic { get; }

    PluginStatus Check(ISessionView session, int pod, NodeState node);
}
