using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>Time-aware fairness: kValue shifts over-quota weights against normalized historical usage.</summary>
public sealed class FairShareDivisionUsageTests
{
    [Fact]
    public void Divide_WhenNoUsageData_KValueHasNoEffect()
    {
        FairShareClaim[] claims =
        [
            Claim("1", request: 20_000, weight: 1),
            Claim("2", request: 20_000, weight: 3),
        ];

        var withoutK = FairShareDivision.Divide(8_000, claims, Cpu, kValue: 0);
        var withK = FairShareDivision.Divide(8_000, claims, Cpu, kValue: 5);

        Assert.Equal(new long[] { 2_000, 6_000 }, withoutK);
        Assert.Equal(withoutK, withK);
    }

    [Fact]
    public void Divide_WhenKValueIsZero_UsageHasNoEffect()
    {
        FairShareClaim[] claims =
        [
            Claim("1", request: 20_000, usage: 0.9),
            Claim("2", request: 20_000, usage: 0),
        ];

        var shares = FairShareDivision.Divide(8_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 4_000, 4_000 }, shares);
    }

    [Fact]
    public void Divide_WhenAQueueHasUsage_ItGetsLessOverQuota()
    {
        // Share weights 0.5 + 0.5*(0.5 - 0.2) = 0.65 and 0.5 + 0.5*0.5 = 0.75, so 8000 splits 3714.3 / 4285.7;
        // floors 3714 / 4285 and the leftover millicore goes to the larger remainder (0.7).
        FairShareClaim[] claims =
        [
            Claim("used", request: 20_000, usage: 0.2),
            Claim("fresh", request: 20_000, usage: 0),
        ];

        var shares = FairShareDivision.Divide(8_000, claims, Cpu, kValue: 0.5);

        Assert.Equal(new long[] { 3_714, 4_286 }, shares);
    }

    [Fact]
    public void Divide_WhenUsageOutweighsTheWeight_ShareWeightClampsToZero()
    {
        // 0.5 + 1*(0.5 - 1) = 0: the heavy user gets no over-quota while the other queue still wants more.
        FairShareClaim[] claims =
        [
            Claim("heavy", request: 100_000, usage: 1),
            Claim("fresh", request: 100_000, usage: 0),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 1);

        Assert.Equal(new long[] { 0, 10_000 }, shares);
    }

    [Fact]
    public void Divide_WhenUsageIsHigh_DeservedIsStillGiven()
    {
        FairShareClaim[] claims =
        [
            Claim("heavy", deserved: 3_000, request: 100_000, usage: 1),
            Claim("fresh", request: 100_000, usage: 0),
        ];

        var shares = FairShareDivision.Divide(10_000, claims, Cpu, kValue: 1);

        Assert.Equal(new long[] { 3_000, 7_000 }, shares);
    }
}
