using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

public sealed class FairShareDivisionValidationTests
{
    [Fact]
    public void Divide_WhenUnitIsZero_Throws()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => FairShareDivision.Divide(10, [Claim("1", request: 1)], unit: 0, kValue: 0));

        Assert.Equal("unit", exception.ParamName);
    }

    [Fact]
    public void Divide_WhenTotalIsNegative_Throws()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => FairShareDivision.Divide(-1, [Claim("1", request: 1)], Cpu, kValue: 0));

        Assert.Equal("total", exception.ParamName);
    }

    [Fact]
    public void Divide_WhenKValueIsNaN_Throws()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => FairShareDivision.Divide(10, [Claim("1", request: 1)], Cpu, double.NaN));

        Assert.Equal("kValue", exception.ParamName);
    }

    [Theory]
    [InlineData(-2, -1, 0, 1.0)]
    [InlineData(0, -2, 0, 1.0)]
    [InlineData(0, -1, -1, 1.0)]
    [InlineData(0, -1, 0, double.NaN)]
    public void Divide_WhenAClaimIsOutOfRange_ThrowsNamingClaims(long deserved, long limit, long request, double weight)
    {
        FairShareClaim[] claims = [Claim("bad", deserved, request, weight, limit)];

        var exception = Assert.Throws<ArgumentException>(() => FairShareDivision.Divide(10, claims, Cpu, kValue: 0));

        Assert.Equal("claims", exception.ParamName);
    }
}
