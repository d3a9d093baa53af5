namespace Kai.Scheduling.Plugins.Proportion.Fairness;

/// <summary>
/// KAI's per-resource fair-share division among one set of sibling queues: deserved quota first, then
/// over-quota by priority bucket and weight in whole KAI steps, then leftover steps. The hierarchy walk
/// (children dividing their parent's share) belongs to the caller.
/// </summary>
public static class FairShareDivision
{
    // Sibling sets are a few dozen queues; above this the scratch goes to the heap rather than risk the stack.
    private const int StackLimit = 64;

    /// <summary>Divides <paramref name="total"/> among sibling queues.</summary>
    /// <param name="total">Amount to divide in engine units: the cluster total, or the parent's fair share.</param>
    /// <param name="claims">The siblings' inputs.</param>
    /// <param name="unit">Engine units in one KAI step: 1000 for GPU (milli-GPU), 1 for CPU millicores and memory bytes.</param>
    /// <param name="kValue">Weight of historical usage in the over-quota split; no effect when every usage is 0.</param>
    /// <returns>One fair share per claim, in claim order. The sum may exceed <paramref name="total"/> when
    /// deserved quotas over-subscribe it, as in KAI.</returns>
    public static long[] Divide(long total, ReadOnlySpan<FairShareClaim> claims, long unit, double kValue)
    {
        Validate(total, claims, unit, kValue);

        var count = claims.Length;
        var shares = new long[count];
        if (count == 0)
        {
            return shares;
        }

        Span<long> requestable = count <= StackLimit ? stackalloc long[count] : new long[count];
        Span<double> remainders = count <= StackLimit ? stackalloc double[count] : new double[count];
        Span<double> shareWeights = count <= StackLimit ? stackalloc double[count] : new double[count];
        Span<int> order = count <= StackLimit ? stackalloc int[count] : new int[count];
        var state = new DivisionState(claims, shares, requestable, remainders, shareWeights, unit, kValue);

        var remaining = state.GiveDeserved(total);

        // Zero or negative: deserved parts used up (or over-subscribed) the total. They are kept whole, not
        // scaled down, and nothing is left for over-quota.
        if (remaining <= 0)
        {
            return shares;
        }

        SortByPriorityDescending(claims, order);

        // Every bucket runs its rounds before any leftover step is handed out, so a lower bucket's rounds
        // can use what a higher bucket's floors left over.
        for (var start = 0; start < count;)
        {
            var end = BucketEnd(claims, order, start);
            remaining = state.DivideUpToFairShare(order[start..end], remaining);
            start = end;
        }

        for (var start = 0; start < count && remaining > 0;)
        {
            var end = BucketEnd(claims, order, start);
            remaining = state.GiveLeftovers(order[start..end], remaining);
            start = end;
        }

        return shares;
    }

    private static void Validate(long total, ReadOnlySpan<FairShareClaim> claims, long unit, double kValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unit);
        if (!double.IsFinite(kValue))
        {
            throw new ArgumentOutOfRangeException(nameof(kValue), kValue, "kValue must be a finite number.");
        }

        for (var i = 0; i < claims.Length; i++)
        {
            var claim = claims[i];
            var valid = claim.Deserved >= DivisionState.Unlimited
                && claim.Limit >= DivisionState.Unlimited
                && claim.Request >= 0
                && double.IsFinite(claim.OverQuotaWeight)
                && double.IsFinite(claim.Usage);
            if (!valid)
            {
                throw new ArgumentException(
                    $"Claim {i} ('{claim.Uid}') is invalid: deserved and limit must be >= -1, request >= 0, " +
                    "over-quota weight finite, usage finite.",
                    nameof(claims));
            }
        }
    }

    // Stable insertion sort of claim indices, highest priority first; a few dozen entries and no allocation.
    private static void SortByPriorityDescending(ReadOnlySpan<FairShareClaim> claims, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (var i = 1; i < order.Length; i++)
        {
            var index = order[i];
            var j = i - 1;
            while (j >= 0 && claims[order[j]].Priority < claims[index].Priority)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = index;
        }
    }

    private static int BucketEnd(ReadOnlySpan<FairShareClaim> claims, ReadOnlySpan<int> order, int start)
    {
        var priority = claims[order[start]].Priority;
        var end = start + 1;
        while (end < order.Length && claims[order[end]].Priority == priority)
        {
            end++;
        }

        return end;
    }
}
