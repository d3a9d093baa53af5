using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>
/// KAI accepts negative over-quota weights (its webhook only warns) and divides by the sum of the unsatisfied
/// siblings' weights, clamping negative share weights to 0 (semantics spec §3.3).
/// </summary>
public sealed class FairShareDivisionNegativeWeightTests
{
    [Fact]
    public void Divide_WhenTheOnlyQueueHasWeightMinusOne_GivesItTheOverQuotaAsWeightOneWould()
    {
        FairShareClaim[] negative = [Claim("department", deserved: 0, request: 6 * Gpu, weight: -1)];
        FairShareClaim[] positive = [Claim("department", deserved: 0, request: 6 * Gpu, weight: 1)];

        var shares = FairShareDivision.Divide(8 * Gpu, negative, Gpu, kValue: 0);

        Assert.Equal(FairShareDivision.Divide(8 * Gpu, positive, Gpu, kValue: 0), shares);
        Assert.Equal(new long[] { 6 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenAllSiblingsAreNegative_SharesByMagnitude()
    {
        FairShareClaim[] claims =
        [
            Claim("a", request: 10 * Gpu, weight: -1),
            Claim("b", request: 10 * Gpu, weight: -3),
        ];

        var shares = FairShareDivision.Divide(8 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 6 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenANegativeWeightSitsAmongPositiveOnes_ItGetsNoOverQuota()
    {
        FairShareClaim[] claims =
        [
            Claim("negative", deserved: 1 * Gpu, request: 10 * Gpu, weight: -1),
            Claim("positive", request: 10 * Gpu, weight: 2),
        ];

        var shares = FairShareDivision.Divide(8 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 1 * Gpu, 7 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenWeightsCancelOut_GivesOnlyTheDeservedParts()
    {
        FairShareClaim[] claims =
        [
            Claim("a", deserved: 1 * Gpu, request: 10 * Gpu, weight: -1),
            Claim("b", deserved: 2 * Gpu, request: 10 * Gpu, weight: 1),
        ];

        var shares = FairShareDivision.Divide(8 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 1 * Gpu, 2 * Gpu }, shares);
    }
}
