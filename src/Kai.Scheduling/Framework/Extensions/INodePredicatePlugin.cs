namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Decides whether a pod may run on a node. All predicates must pass.</summary>
public interface INodePredicatePlugin : ISchedulerPlugin
{
    /// <summary>
    /// Static predicates depend only on the pod's constraints and the node's fixed properties (labels, taints,
    /// readiness), so their result is cached per constraint signature and node for the whole session.
    /// </summary>
    bool IsStatic { get; }

    /// <returns>Null when the pod may run on the node, else why not.</returns>
    FitFailure? Check(Session session, int pod, NodeState node);
}

/// <summary>Queue capacity checks (KAI's first registered function wins): limits and non-preemptible quota.</summary>
public interface ICapacityPlugin : ISchedulerPlugin
{
    /// <summary>Whether a pod group may add <paramref name="request"/> to its queue and every ancestor.</summary>
    CapacityVerdict CheckJob(Session session, int group, in Resources.ResourceVector request);
}

/// <summary>The outcome of a capacity check, with KAI's reason name when it fails.</summary>
public readonly record struct CapacityVerdict(bool Allowed, string? Reason, string? Message)
{
    public static CapacityVerdict Allow { get; } = new(true, null, null);
}
