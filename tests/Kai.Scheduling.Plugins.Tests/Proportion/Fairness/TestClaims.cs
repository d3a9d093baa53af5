using Kai.Scheduling.Plugins.Proportion.Fairness;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>Short-hand for building claims; amounts are engine units (milli-GPU, millicores).</summary>
internal static class TestClaims
{
    /// <summary>Engine units in one KAI GPU step.</summary>
    public const long Gpu = 1000;

    /// <summary>Engine units in one KAI CPU (millicore) or memory (byte) step.</summary>
    public const long Cpu = 1;

    public static readonly DateTimeOffset Created = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FairShareClaim Claim(
        string uid,
        long deserved = 0,
        long request = 0,
        double weight = 1,
        long limit = -1,
        int priority = 0,
        double usage = 0,
        DateTimeOffset? created = null) =>
        new(deserved, limit, request, weight, priority, usage, created ?? Created, uid);
}
