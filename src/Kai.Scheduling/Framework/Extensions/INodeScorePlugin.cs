using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Scores a node for a pod (kube-scheduler's Score). The scores of all plugins are summed and the highest-scoring
/// node that fits wins; ties go to the node that sorts first by name.
/// </summary>
/// <remarks>
/// Contract: <see cref="Score"/> is a pure (idempotent) function of the pod, the node's books and the context,
/// no side effects, called from one thread for many nodes in any order.
/// <see cref="Shape"/> is fixed for the plugin instance and tells the node search how the score decomposes, so it
/// can find the best node through the node index instead of scoring every node: a
/// <see cref="NodeScoreKind.Bonus"/> scores either 0 or its bound, by a condition the index understands
/// (<see cref="NodeBonusCondition"/>); an <see cref="NodeScoreKind.Ordering"/> score is at most its bound and
/// orders nodes by their free and total amount of the pod's <see cref="PlacementResource"/> (the plugin also
/// implements <see cref="INodeOrderingScore"/>). When every score plugin is a bonus or an ordering, exactly one is
/// an ordering, and each bonus is larger than every lower tier's bound summed, the sum orders nodes
/// lexicographically by tier, and the search walks the index in that order; otherwise (an
/// <see cref="NodeScoreKind.Opaque"/> score, or bounds that overlap) it scores every fitting node. A property test
/// checks both searches choose the same node.
/// </remarks>
public interface INodeScorePlugin : ISchedulerPlugin
{
    NodeScoreShape Shape { get; }

    double Score(ISessionView session, in NodeScoringContext context, NodeState node);
}

/// <summary>How a node score decomposes (see <see cref="INodeScorePlugin"/>).</summary>
public enum NodeScoreKind
{
    /// <summary>Any score: the node search scores every fitting node.</summary>
    Opaque,

    /// <summary>0, or <see cref="NodeScoreShape.Bound"/> when the node meets <see cref="NodeScoreShape.Condition"/>.</summary>
    Bonus,

    /// <summary>At most <see cref="NodeScoreShape.Bound"/>, monotone in the node's rank by free and total placement resource.</summary>
    Ordering,
}

/// <summary>A condition for a bonus that the node index can walk in order.</summary>
public enum NodeBonusCondition
{
    /// <summary>Not a bonus.</summary>
    None,

    /// <summary>The pod fits the node's idle capacity: it binds now instead of waiting for releasing pods.</summary>
    FitsOnIdle,

    /// <summary>
    /// The pod shares GPUs and an open GPU group of the node has room for its share
    /// (<see cref="Devices.SharedGpuFit.FitsOpenGroup"/>); never earned by other pods.
    /// </summary>
    FitsSharedGpu,

    /// <summary>
    /// The node is in a class fixed by its own properties, for the pods the class applies to; the plugin implements
    /// <see cref="INodeClassScore"/>.
    /// </summary>
    NodeClass,
}

/// <summary>The shape of a node score: its kind, its largest value, and, for a bonus, its condition.</summary>
public readonly record struct NodeScoreShape(NodeScoreKind Kind, double Bound, NodeBonusCondition Condition = NodeBonusCondition.None)
{
    public static NodeScoreShape Opaque { get; } = new(NodeScoreKind.Opaque, double.PositiveInfinity);

    public static NodeScoreShape Bonus(double value, NodeBonusCondition condition) => new(NodeScoreKind.Bonus, value, condition);

    public static NodeScoreShape Ordering(double bound) => new(NodeScoreKind.Ordering, bound);
}

/// <summary>
/// A score that only some pods get (a pod's preferences, a nominated node): for every other pod it is 0 on every
/// node. The node search asks <see cref="Scores"/> once per placement and leaves the plugin out of the tiers it
/// walks; only for the pods it scores does it score every node (its <see cref="INodeScorePlugin.Shape"/> is then
/// taken as opaque). So pods without such preferences keep the indexed search.
/// </summary>
/// <remarks>Contract: <see cref="Scores"/> is pure for the session's state; when it is false, <see cref="INodeScorePlugin.Score"/> returns 0 for the pod on every node.</remarks>
public interface ISelectiveNodeScore : INodeScorePlugin
{
    bool Scores(ISessionView session, int pod);
}

/// <summary>A bonus for nodes of a class (e.g. CPU-only nodes), for the pods it applies to (e.g. CPU-only pods).</summary>
/// <remarks>Contract: both answers are fixed for the session; <see cref="InClass"/> reads only the node's own properties.</remarks>
public interface INodeClassScore : INodeScorePlugin
{
    bool AppliesTo(in NodeScoringContext context);

    bool InClass(Node node);
}

/// <summary>
/// An ordering score: nodes ranked by their free and total amount of the pod's placement resource
/// (<see cref="NodeAmounts"/>), least free first (binpack) or highest free/total first (spread).
/// </summary>
/// <remarks>Contract: the score is higher for a node that ranks earlier, equal for equal ranks, and never above the shape's bound.</remarks>
public interface INodeOrderingScore : INodeScorePlugin
{
    PlacementStrategy StrategyFor(in NodeScoringContext context);
}

/// <summary>
/// Per-pod values shared by all score calls for that pod: the pod, whether it requests GPUs (its placement
/// resource is then GPUs, else CPU), and the least and most free placement resource over the nodes that have it
/// (for scores that normalise, such as binpack; filled only when every node is scored).
/// </summary>
public readonly record struct NodeScoringContext(int Pod, bool GpuPod, long MinFree, long MaxFree)
{
    public PlacementResource Resource => GpuPod ? PlacementResource.Gpu : PlacementResource.Cpu;

    /// <summary>The context of a pod without the free range (what the indexed search knows).</summary>
    public static NodeScoringContext For(ISessionView session, int pod) => new(pod, session.Snapshot.Pods[pod].GpuKind != Model.GpuRequestKind.None, 0, 0);
}
