using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Placement;

/// <summary>The node search limited to a <see cref="NodeSet"/>, with an optional <see cref="NodePreference"/> added to the node scores.</summary>
/// <remarks>
/// When the index walk is exact (<see cref="NodeScoreTiers.Indexed"/>) and the preference's steps are larger than
/// every plugin score together, the preference is one more tier above the others: its scores, best first, each
/// a walk of the index that skips nodes outside the set or of another score. A small set is scored node by node
/// instead (a walk would mostly skip), as is any set when the scores do not compose; KAI scores the node set's
/// nodes the same way, normalising binpack over them.
/// </remarks>
internal static partial class NodeSearch
{
    /// <summary>A set smaller than this share of the cluster (1/8) is scored node by node rather than found by an index walk.</summary>
    private const int SmallSetShare = 8;

    private static readonly double[] NoPreferenceScores = [0];

    public static Placement Find(Session session, int pod, NodeSet set, NodePreference? preference)
    {
        if (set.IsAll && preference is null)
        {
            return Find(session, pod);
        }

        var walkable = session.Plugins.ScoreTiers.Indexed
            && (preference is null || preference.SmallestStep > session.Plugins.ScoreBound)
            && set.Count * SmallSetShare >= session.Nodes.Length
            && !session.Plugins.ScoresSelectively(session, pod);
        if (!walkable)
        {
            return FindByScoringSet(session, pod, set, preference);
        }

        foreach (var score in preference?.Scores ?? NoPreferenceScores)
        {
            var found = FindIndexed(session, pod, new NodeFilter(set, preference, score));
            if (found.Found)
            {
                return found;
            }
        }

        return Placement.None;
    }

    /// <summary>The best fitting node of the set by summed scores (plugins plus preference), ties by node name.</summary>
    private static Placement FindByScoringSet(Session session, int pod, NodeSet set, NodePreference? preference)
    {
        var request = session.RequestOf(pod);
        var resource = request.Gpu > 0 ? PlacementResource.Gpu : PlacementResource.Cpu;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var n in set.Nodes())
        {
            var node = session.NodeAt(n);
            if (NodeAmounts.Total(node, resource) > 0)
            {
                var free = NodeAmounts.Free(node, resource);
                min = Math.Min(min, free);
                max = Math.Max(max, free);
            }
        }

        var context = new NodeScoringContext(pod, request.Gpu > 0, min == long.MaxValue ? 0 : min, max == long.MinValue ? 0 : max);
        var shared = session.Snapshot.Pods[pod].Gpu.IsShared;
        var best = Placement.None;
        var bestScore = double.NegativeInfinity;
        foreach (var n in set.Nodes())
        {
            var node = session.NodeAt(n);
            var placement = shared
                ? AcceptsShared(session, pod, node, requireIdle: false, requireShared: false)
                : request.FitsIn(node.Free) && PassesPredicates(session, pod, n) ? new Placement(n, request.FitsIn(node.Idle) && session.ClaimsFitIdle(pod, n)) : Placement.None;
            if (!placement.Found)
            {
                continue;
            }

            var score = preference?.ScoreOf(n) ?? 0;
            foreach (var scorer in session.Plugins.Scorers)
            {
                score += scorer.Score(session, context, node);
            }

            if (score > bestScore || (score == bestScore && n < best.Node))
            {
                bestScore = score;
                best = placement;
            }
        }

        return best;
    }

    /// <summary>Which nodes an index walk may take: all, or those of a set that have one preference score.</summary>
    internal readonly struct NodeFilter(NodeSet? set, NodePreference? preference, double score)
    {
        public static NodeFilter None => default;

        public bool Admits(int node) => set is null || (set.Contains(node) && (preference is null || preference.ScoreOf(node) == score));
    }
}
