using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

public sealed class FairShareDivisionEdgeCaseTests
{
    [Fact]
    public void Divide_WhenNoClaims_ReturnsEmpty()
    {
        var shares = FairShareDivision.Divide(10 * Gpu, [], Gpu, kValue: 0);

        Assert.Empty(shares);
    }

    [Fact]
    public void Divide_WhenLimitIsZero_GivesNothingEvenWithQuotaAndWeight()
    {
        FairShareClaim[] claims =
        [
            Claim("blocked", deserved: 5 * Gpu, request: 10 * Gpu, weight: 1, limit: 0),
            Claim("open", request: 10 * Gpu, weight: 1),
        ];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 0, 10 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenLimitIsBelowQuota_CapsAtTheLimit()
    {
        FairShareClaim[] claims = [Claim("1", deserved: 5 * Gpu, request: 10 * Gpu, weight: 1, limit: 3 * Gpu)];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 3 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenQuotaIsUnlimited_GivesTheRequestInTheDeservedPhase()
    {
        FairShareClaim[] claims = [Claim("1", deserved: -1, request: 4 * Gpu, weight: 0)];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 4 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenUnlimitedQuotaRequestsMoreThanTheTotal_CapsThatQueueAtTheTotal()
    {
        // Deserved -1 stands for the total, so min(total, requestable).
        FairShareClaim[] claims = [Claim("1", deserved: -1, request: 15 * Gpu, weight: 1)];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 10 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenSeveralQueuesHaveUnlimitedQuota_TogetherTheyExceedTheTotal()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: -1, request: 8 * Gpu),
            Claim("2", deserved: -1, request: 8 * Gpu),
        ];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 8 * Gpu, 8 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenDeservedOverSubscribesTheTotal_KeepsDeservedUnscaledAndSkipsOverQuota()
    {
        // 6 + 6 > 10: the remainder is negative, no over-quota round runs, the weighted queue gets nothing.
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 6_000, request: 10_000),
            Claim("2", deserved: 6_000, request: 10_000),
            Claim("3", deserved: 0, request: 5_000, weight: 1),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 6_000, 6_000, 0 }, shares);
    }

    [Fact]
    public void Divide_WhenWeightIsZero_GivesNoOverQuota()
    {
        FairShareClaim[] claims =
        [
            Claim("zero", request: 10_000, weight: 0),
            Claim("one", request: 10_000, weight: 1),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 0, 10_000 }, shares);
    }

    [Fact]
    public void Divide_WhenAllWeightsAreZero_GivesOnlyDeservedAndLeavesTheRest()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2_000, request: 10_000, weight: 0),
            Claim("2", deserved: 2_000, request: 10_000, weight: 0),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 2_000, 2_000 }, shares);
    }

    [Fact]
    public void Divide_WhenHigherBucketWantsEverything_LowerBucketGetsNothing()
    {
        FairShareClaim[] claims =
        [
            Claim("low", request: 20_000, weight: 5, priority: 1),
            Claim("high", request: 20_000, weight: 1, priority: 2),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 0, 10_000 }, shares);
    }

    [Fact]
    public void Divide_WhenHigherBucketIsSatisfied_LowerBucketGetsTheRest()
    {
        FairShareClaim[] claims =
        [
            Claim("low", request: 20_000, weight: 1, priority: 1),
            Claim("high", request: 4_000, weight: 1, priority: 2),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 6_000, 4_000 }, shares);
    }

    [Fact]
    public void Divide_WhenRequestIsZero_GivesNothingDespiteQuotaAndWeight()
    {
        FairShareClaim[] claims =
        [
            Claim("idle", deserved: 5_000, request: 0, weight: 3),
            Claim("busy", request: 20_000, weight: 1),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 0, 10_000 }, shares);
    }

    [Fact]
    public void Divide_WhenTotalIsZero_StillGivesDeservedParts()
    {
        // KAI's over-subscription rule: deserved is given even when there is nothing to divide.
        FairShareClaim[] claims =
        [
            Claim("quota", deserved: 2 * Gpu, request: 3 * Gpu),
            Claim("unlimited", deserved: -1, request: 3 * Gpu),
            Claim("none", request: 3 * Gpu, weight: 1),
        ];

        var shares = FairShareDivision.Divide(0, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 0, 0 }, shares);
    }

    [Fact]
    public void Divide_WhenClaimsAreReordered_EachQueueKeepsItsShare()
    {
        var a = Claim("a", deserved: 1_000, request: 9_000, weight: 1, created: Created);
        var b = Claim("b", request: 9_000, weight: 4, created: Created.AddMinutes(1));
        var c = Claim("c", request: 2_000, weight: 2, priority: 1);

        var forward = FairShareDivision.Divide(8_501, [a, b, c], Cpu, kValue: 0);
        var backward = FairShareDivision.Divide(8_501, [c, b, a], Cpu, kValue: 0);

        Assert.Equal(new long[] { 2_100, 4_401, 2_000 }, forward);
        Assert.Equal(new long[] { 2_000, 4_401, 2_100 }, backward);
    }
}
