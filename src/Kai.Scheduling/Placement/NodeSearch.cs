using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Finds the node a pod goes to: the highest-scoring node (scores summed over the score plugins, ties by
/// node name) among the nodes that fit and pass every predicate, as KAI does.
/// </summary>
/// <remarks>
/// When the score plugins' shapes compose into tiers (<see cref="NodeScoreTiers"/>; KAI's: 100 fits on idle &gt;
/// 10 CPU pod on CPU node &gt; 0–9 placement), the best node is the first fitting node of a walk over the
/// <see cref="NodeIndex"/>, tier combination by tier combination (bonuses earned first, the highest tier
/// deciding), each in the ordering score's order. Otherwise — or for a pod a selective score plugin scores
/// (<see cref="ISelectiveNodeScore"/>: affinity preferences, a nominated node) — every node is scored and sorted.
/// A property test checks that both give the same node.
/// </remarks>
internal static class NodeSearch
{
    /// <summary>The chosen node and whether the pod fits there on idle capacity (else it must be pipelined).</summary>
    public readonly record struct Placement(int Node, bool FitsIdle)
    {
        public static Placement None => new(-1, false);

        public bool Found => Node >= 0;
    }

    public static Placement Find(Session session, int pod, bool forceFullScan = false) =>
        session.Plugins.ScoreTiers.Indexed && !forceFullScan && !session.Plugins.ScoresSelectively(session, pod)
            ? FindIndexed(session, pod)
            : FindByScoringAll(session, pod);

    private static Placement FindIndexed(Session session, int pod)
    {
        var tiers = session.Plugins.ScoreTiers;
        var index = session.NodeIndex;
        var request = session.RequestOf(pod);
        var context = new NodeScoringContext(pod, request.Gpu > 0, 0, 0);
        var strategy = tiers.Ordering!.StrategyFor(context);

        // The tiers this pod can earn: class bonuses that apply to it, and fitting on idle while some node has
        // releasing capacity (without any, every node that fits fits on idle, so that tier decides nothing).
        Span<int> live = stackalloc int[tiers.Bonuses.Length];
        var count = 0;
        var mask = 0;
        foreach (var tier in tiers.Bonuses)
        {
            if (tier == NodeScoreTiers.FitsOnIdleTier ? index.AnyReleasing : tiers.ClassTiers[tier].AppliesTo(context))
            {
                live[count++] = tier;
                mask |= tier >= 0 ? 1 << tier : 0;
            }
        }

        // Every combination of earned tiers, best first: the highest tier is the most significant bit.
        for (var earned = (1 << count) - 1; earned >= 0; earned--)
        {
            var requireIdle = false;
            var pattern = 0;
            for (var i = 0; i < count; i++)
            {
                if ((earned & (1 << (count - 1 - i))) != 0)
                {
                    requireIdle |= live[i] == NodeScoreTiers.FitsOnIdleTier;
                    pattern |= live[i] >= 0 ? 1 << live[i] : 0;
                }
            }

            var nodes = index.Ordered(context.Resource, strategy, mask, pattern);
            var found = Walk(session, pod, request, nodes, strategy, Need(request, context.Resource), requireIdle);
            if (found.Found)
            {
                return found;
            }
        }

        return Placement.None;
    }

    private static long Need(in ResourceVector request, PlacementResource resource) => resource == PlacementResource.Gpu ? request.Gpu : request.Cpu;

    private static Placement Walk(Session session, int pod, in ResourceVector request, SortedSet<NodeRank> nodes, PlacementStrategy strategy, long need, bool requireIdle)
    {
        if (nodes.Count == 0)
        {
            return Placement.None;
        }

        // Binpack order is by free amount, so nodes with less than the pod needs are skipped with a lower bound.
        // (Ranks with Total 1 stand for "has the resource"; nodes without it sort after and cannot hold need > 0.)
        var bounded = strategy == PlacementStrategy.Binpack && need > 0;
        var walk = bounded
            ? nodes.GetViewBetween(new NodeRank(need, 1, int.MinValue), new NodeRank(long.MaxValue, 1, int.MaxValue))
            : nodes;

        // The first candidate usually fits; Min finds it without an enumerator. (A view's Count walks the whole
        // view, so an empty view shows as a Min below the lower bound instead: the default rank.)
        var first = walk.Min;
        if (bounded && first.Free < need)
        {
            return Placement.None;
        }

        if (Accepts(session, pod, request, first, need, requireIdle, out var fitsFirst))
        {
            return new Placement(first.Node, fitsFirst);
        }

        foreach (var rank in walk)
        {
            if (rank.Node != first.Node && Accepts(session, pod, request, rank, need, requireIdle, out var fitsIdle))
            {
                return new Placement(rank.Node, fitsIdle);
            }
        }

        return Placement.None;
    }

    private static bool Accepts(Session session, int pod, in ResourceVector request, NodeRank rank, long need, bool requireIdle, out bool fitsIdle)
    {
        fitsIdle = false;
        if (rank.Free < need)
        {
            return false;
        }

        // Fit on idle + releasing first: idle alone can overstate what is free once pipelined pods reserved
        // releasing capacity here.
        var node = session.NodeAt(rank.Node);
        if (!request.FitsIn(node.Free))
        {
            return false;
        }

        fitsIdle = request.FitsIn(node.Idle);
        return (!requireIdle || fitsIdle) && PassesPredicates(session, pod, rank.Node);
    }

    private static Placement FindByScoringAll(Session session, int pod)
    {
        var request = session.RequestOf(pod);
        var context = ScoringContext(session, pod, request);
        var nodes = session.Nodes;
        var scored = new List<(double Score, int Node)>(nodes.Length);
        foreach (var node in nodes)
        {
            if (!session.FeasibilityCache.Check(pod, node.Index).IsSuccess)
            {
                continue;
            }

            var score = 0.0;
            foreach (var scorer in session.Plugins.Scorers)
            {
                score += scorer.Score(session, context, node);
            }

            scored.Add((score, node.Index));
        }

        scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Node.CompareTo(b.Node));
        foreach (var (_, n) in scored)
        {
            var node = nodes[n];
            if (request.FitsIn(node.Free) && session.Plugins.CheckDynamic(session, pod, node).IsSuccess)
            {
                return new Placement(n, request.FitsIn(node.Idle));
            }
        }

        return Placement.None;
    }

    /// <summary>The pod's scoring context, with the range of free placement resource over the nodes that have it (binpack normalises over it).</summary>
    private static NodeScoringContext ScoringContext(Session session, int pod, in ResourceVector request)
    {
        var resource = request.Gpu > 0 ? PlacementResource.Gpu : PlacementResource.Cpu;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var node in session.Nodes)
        {
            if (NodeAmounts.Total(node, resource) > 0)
            {
                var free = NodeAmounts.Free(node, resource);
                min = Math.Min(min, free);
                max = Math.Max(max, free);
            }
        }

        return new NodeScoringContext(pod, request.Gpu > 0, min == long.MaxValue ? 0 : min, max == long.MinValue ? 0 : max);
    }

    private static bool PassesPredicates(Session session, int pod, int node) =>
        session.FeasibilityCache.Check(pod, node).IsSuccess && session.Plugins.CheckDynamic(session, pod, session.NodeAt(node)).IsSuccess;
}
