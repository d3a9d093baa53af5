namespace Kai.Cluster.Quantities;

/// <summary>
/// The largest amount the scheduler accounts: 2^53 in its integer unit (thousandths for <c>cpu</c> and
/// <c>nvidia.com/gpu</c>, whole units for memory, pods and other resources). That is about 9 × 10^12 cores or GPUs and
/// 8Pi of memory, far beyond any real machine; it keeps sums of a thousand such amounts inside 64 bits and every amount
/// exact in the float64 arithmetic of KAI's fair-share division. Larger amounts are rejected, never silently capped.
/// </summary>
public static class AmountLimits
{
    /// <summary>2^53 scheduler units.</summary>
    public const long MaxUnits = 1L << 53;

    /// <summary>Resources the scheduler counts in thousandths (milli-units); everything else is counted in whole units.</summary>
    public static bool IsCountedInThousandths(string resourceName) => resourceName is "cpu" or "nvidia.com/gpu";

    /// <summary>The largest quantity of <paramref name="resourceName"/>, as it would be written in a manifest.</summary>
    public static Quantity MaxQuantity(string resourceName) =>
        IsCountedInThousandths(resourceName) ? Quantity.FromMilli(MaxUnits) : Quantity.FromUnits(MaxUnits);
}
