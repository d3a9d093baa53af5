using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// Comparisons over KAI's three queue resources where <see cref="QueueResourceSettings.Unlimited"/> (-1) means
/// +infinity in less-or-equal tests but stays a plain number in strict comparisons (semantics spec §14.2).
/// </summary>
internal static class QueueShare
{
    public const long Unlimited = QueueResourceSettings.Unlimited;

    /// <summary>Multiplier that makes a share with nothing allocatable dominate every real ratio.</summary>
    public const double NoAllocatableMultiplier = 1000;

    /// <summary><paramref name="amount"/> &lt;= <paramref name="bound"/>, with -1 as +infinity on either side.</summary>
    public static bool LessEqual(double amount, double bound)
    {
        if (bound == Unlimited)
        {
            return true;
        }

        return amount != Unlimited && amount <= bound;
    }

    /// <summary>What a queue may hold of one resource before it counts as over its share (KAI's allocatable share).</summary>
    public static double Allocatable(long deserved, long fairShare, long limit)
    {
        if (deserved == Unlimited)
        {
            return limit;
        }

        double allocatable = Math.Max(deserved, fairShare);
        if (limit != Unlimited)
        {
            allocatable = Math.Min(limit, allocatable);
        }

        return allocatable;
    }

    /// <summary>One resource's share of the allocatable amount; unlimited means the cluster total.</summary>
    public static double Ratio(double allocated, double allocatable, double total)
    {
        if (allocatable == Unlimited)
        {
            allocatable = total;
        }

        return allocatable == 0 ? allocated * NoAllocatableMultiplier : allocated / allocatable;
    }
}
