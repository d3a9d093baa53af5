using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Placement;

/// <summary>
/// How the node search may use the node index, decided once per plugin pipeline from the score plugins' shapes:
/// the one ordering score, and the bonus tiers highest first. The index walk is exact only when every tier's
/// bonus is larger than everything the tiers below it can add (scores then compare lexicographically by tier);
/// otherwise <see cref="Indexed"/> is false and the search scores every node.
/// </summary>
internal sealed class NodeScoreTiers
{
    /// <summary>Most node-class tiers the index partitions by (each doubles the partitions).</summary>
    public const int MaxClassTiers = 4;

    /// <summary>Marks the fits-on-idle tier in <see cref="Bonuses"/>.</summary>
    public const int FitsOnIdleTier = -1;

    /// <summary>Marks the fits-a-shared-GPU tier in <see cref="Bonuses"/>.</summary>
    public const int FitsSharedGpuTier = -2;

    private static readonly NodeScoreTiers ScoreEveryNode = new(false, null, [], []);

    private NodeScoreTiers(bool indexed, INodeOrderingScore? ordering, int[] bonuses, INodeClassScore[] classTiers)
    {
        Indexed = indexed;
        Ordering = ordering;
        Bonuses = bonuses;
        ClassTiers = classTiers;
    }

    /// <summary>Whether the best node is the first fitting node of an index walk in tier order.</summary>
    public bool Indexed { get; }

    /// <summary>The score that orders nodes within a tier.</summary>
    public INodeOrderingScore? Ordering { get; }

    /// <summary>The bonus tiers, highest first: <see cref="FitsOnIdleTier"/>, <see cref="FitsSharedGpuTier"/>, or an index into <see cref="ClassTiers"/>.</summary>
    public int[] Bonuses { get; }

    /// <summary>The node-class bonuses; tier <c>i</c> is bit <c>i</c> of a node's class bits in the index.</summary>
    public INodeClassScore[] ClassTiers { get; }

    /// <summary>Whether a bonus tier rewards nodes with an open GPU group that fits (gpusharingorder).</summary>
    public bool HasSharedGpuTier => Array.IndexOf(Bonuses, FitsSharedGpuTier) >= 0;

    public static NodeScoreTiers Plan(INodeScorePlugin[] scorers)
    {
        INodeOrderingScore? ordering = null;
        var fitsOnIdle = 0.0;
        var fitsSharedGpu = 0.0;
        var tiers = new List<(double Value, INodeClassScore? Class, int Tier)>();
        foreach (var scorer in scorers)
        {
            switch (scorer.Shape)
            {
                case { Kind: NodeScoreKind.Ordering } when scorer is INodeOrderingScore order && ordering is null:
                    ordering = order;
                    break;
                case { Kind: NodeScoreKind.Bonus, Condition: NodeBonusCondition.FitsOnIdle } shape:
                    // Every fits-on-idle bonus is earned together: one tier worth their sum.
                    fitsOnIdle += shape.Bound;
                    break;
                case { Kind: NodeScoreKind.Bonus, Condition: NodeBonusCondition.FitsSharedGpu } shape:
                    fitsSharedGpu += shape.Bound;
                    break;
                case { Kind: NodeScoreKind.Bonus, Condition: NodeBonusCondition.NodeClass } shape when scorer is INodeClassScore nodeClass:
                    tiers.Add((shape.Bound, nodeClass, 0));
                    break;
                default:
                    return ScoreEveryNode;
            }
        }

        if (fitsOnIdle > 0)
        {
            tiers.Add((fitsOnIdle, null, FitsOnIdleTier));
        }

        if (fitsSharedGpu > 0)
        {
            tiers.Add((fitsSharedGpu, null, FitsSharedGpuTier));
        }

        return ordering is null ? ScoreEveryNode : Compose(ordering, tiers);
    }

    private static NodeScoreTiers Compose(INodeOrderingScore ordering, List<(double Value, INodeClassScore? Class, int Tier)> tiers)
    {
        // Highest first; registration order breaks ties (equal values then fail the check below anyway).
        var ordered = tiers.Select((t, i) => (t.Value, t.Class, t.Tier, Order: i)).OrderByDescending(t => t.Value).ThenBy(t => t.Order).ToList();
        var below = ordering.Shape.Bound;
        for (var i = ordered.Count - 1; i >= 0; i--)
        {
            if (!(ordered[i].Value > below))
            {
                return ScoreEveryNode;
            }

            below += ordered[i].Value;
        }

        var classTiers = ordered.Where(t => t.Class is not null).Select(t => t.Class!).ToArray();
        if (classTiers.Length > MaxClassTiers)
        {
            return ScoreEveryNode;
        }

        var bonuses = ordered.Select(t => t.Class is null ? t.Tier : Array.IndexOf(classTiers, t.Class)).ToArray();
        return new NodeScoreTiers(true, ordering, bonuses, classTiers);
    }
}
