namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Scores a node for a pod; the scores of all plugins are summed and the highest-scoring node that fits
/// wins (ties: node name). Tiers tell the indexed node search how the sum decomposes.
/// </summary>
public interface INodeScorePlugin : ISchedulerPlugin
{
    NodeScoreTier Tier { get; }

    double Score(ISessionView session, in NodeScoringContext context, NodeState node);
}

/// <summary>
/// What a score plugin contributes, so the node search can find the best node through an index instead of
/// scoring every node: KAI's scores are tiered (100 fits without pipelining, 10 CPU pod on CPU node, 0–9
/// placement), so the sum orders nodes lexicographically by tier.
/// </summary>
public enum NodeScoreTier
{
    /// <summary>100 when the pod fits on idle capacity (no pipelining).</summary>
    Availability,

    /// <summary>10 when a CPU-only pod lands on a CPU-only node.</summary>
    ResourceType,

    /// <summary>0–9 (binpack) or 0–1 (spread) from the node's free GPUs or CPU.</summary>
    Placement,

    /// <summary>Anything else: the node search scores every candidate node.</summary>
    Other,
}

/// <summary>Per-pod values shared by all score calls for that pod (e.g. binpack's min and max over candidates).</summary>
public readonly record struct NodeScoringContext(int Pod, bool GpuPod, long MinFree, long MaxFree);
