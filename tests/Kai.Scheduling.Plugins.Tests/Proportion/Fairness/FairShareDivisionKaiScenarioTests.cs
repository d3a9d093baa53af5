using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>
/// Scenarios whose outcomes KAI's own resource-division tests pin down (the behaviour, restated in engine units).
/// </summary>
public sealed class FairShareDivisionKaiScenarioTests
{
    [Fact]
    public void Divide_WhenWeightsAreOneToThree_SplitsOverQuotaOneToThree()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 6 * Gpu, weight: 1),
            Claim("2", deserved: 2 * Gpu, request: 6 * Gpu, weight: 3),
        ];

        var shares = FairShareDivision.Divide(8 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 3 * Gpu, 5 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenEveryRequestFits_GivesRequestsAndLeavesTheRest()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2),
            Claim("2", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2),
        ];

        var shares = FairShareDivision.Divide(15 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 6 * Gpu, 6 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenFloorsLeaveOneGpu_GivesItToTheLargestRemainder()
    {
        // 7 over-quota GPUs by 1:4 are 1.4 and 5.6: floors 1 and 5, the spare GPU goes to the 0.6 remainder.
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 10 * Gpu, weight: 1),
            Claim("2", deserved: 2 * Gpu, request: 10 * Gpu, weight: 4),
        ];

        var shares = FairShareDivision.Divide(11 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 3 * Gpu, 8 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenALimitIsReachedInTheFirstRound_TheOtherQueueTakesTheRestNextRound()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 250, request: 5_000, weight: 1),
            Claim("2", deserved: 150, request: 5_000, weight: 2, limit: 400),
        ];

        var shares = FairShareDivision.Divide(1_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 600, 400 }, shares);
    }

    [Fact]
    public void Divide_WhenOneQueueIsCappedByItsLimit_TheSurplusStaysUnassigned()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2, limit: 5 * Gpu),
            Claim("2", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2),
        ];

        var shares = FairShareDivision.Divide(12 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 5 * Gpu, 6 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenRequestsAreFractionalGpus_GivesTheExactFractions()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 12 * Gpu, request: 32_550, weight: 12),
            Claim("2", deserved: 7 * Gpu, request: 9_500, weight: 7),
            Claim("3", deserved: 2 * Gpu, request: 1_650, weight: 2, limit: 2 * Gpu),
        ];

        var shares = FairShareDivision.Divide(45 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 32_550, 9_500, 1_650 }, shares);
    }

    [Fact]
    public void Divide_WhenWeightsAreSixTwoOne_SplitsTheTotalExactly()
    {
        FairShareClaim[] claims =
        [
            Claim("1", request: 10_000, weight: 6),
            Claim("2", request: 10_000, weight: 2),
            Claim("3", request: 10_000, weight: 1),
        ];

        var shares = FairShareDivision.Divide(9_999, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 6_666, 2_222, 1_111 }, shares);
    }

    [Fact]
    public void Divide_WhenThreeEqualQueuesShareAnOddTotal_EachGetsAThird()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 1_000, request: 10_000),
            Claim("2", deserved: 1_000, request: 10_000),
            Claim("3", deserved: 1_000, request: 10_000),
        ];

        var shares = FairShareDivision.Divide(9_999, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 3_333, 3_333, 3_333 }, shares);
    }

    [Fact]
    public void Divide_WhenAQueueWithoutQuotaCompetesWithOversubscribedQuotas_ItGetsNothing()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 5_000, request: 10_000, weight: 5_000),
            Claim("2", deserved: 0, request: 5_000, weight: 5_000),
            Claim("3", deserved: 5_000, request: 10_000, weight: 5_000),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 5_000, 0, 5_000 }, shares);
    }

    [Fact]
    public void Divide_WhenPrioritiesDiffer_DeservedIsUnaffected()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2, priority: 1),
            Claim("2", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2, priority: 2),
        ];

        var shares = FairShareDivision.Divide(4 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 2 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenPrioritiesDiffer_HigherBucketTakesOverQuotaDespiteLowerWeight()
    {
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 6 * Gpu, weight: 100, priority: 1),
            Claim("2", deserved: 2 * Gpu, request: 6 * Gpu, weight: 1, priority: 2),
        ];

        var shares = FairShareDivision.Divide(6 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 4 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenHigherBucketLeavesHalves_TheLeftoverGpuStillReachesIt()
    {
        // One over-quota GPU split 0.5 / 0.5 floors to nothing; the leftover pass gives it to the older queue.
        FairShareClaim[] claims =
        [
            Claim("1", deserved: 2 * Gpu, request: 5 * Gpu, weight: 2, priority: 2, created: Created),
            Claim("2", deserved: 2 * Gpu, request: 5 * Gpu, weight: 2, priority: 2, created: Created.AddMinutes(1)),
            Claim("3", deserved: 1 * Gpu, request: 0, weight: 2, priority: 1),
        ];

        var shares = FairShareDivision.Divide(5 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 3 * Gpu, 2 * Gpu, 0 }, shares);
    }

    [Fact]
    public void Divide_WhenASingleQueueIsOverQuota_StopsAtItsRequest()
    {
        // The newest KAI has no "a lone queue takes everything" shortcut: the 3 spare GPUs stay unassigned.
        FairShareClaim[] claims = [Claim("1", deserved: 3 * Gpu, request: 5 * Gpu, weight: 1)];

        var shares = FairShareDivision.Divide(8 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 5 * Gpu }, shares);
    }
}
