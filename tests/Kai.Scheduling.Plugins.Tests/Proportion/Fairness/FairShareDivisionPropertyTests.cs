using CsCheck;
using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

public sealed class FairShareDivisionPropertyTests
{
    private static readonly Gen<FairShareClaim> ClaimGen = Gen.Select(
        Gen.Long[0, 3_000],
        Gen.Select(Gen.Bool, Gen.Long[0, 6_000], (unlimited, limit) => unlimited ? -1 : limit),
        Gen.Long[0, 8_000],
        Gen.Int[0, 4],
        Gen.Int[0, 2],
        Gen.Double[0, 1],
        Gen.Int[0, 3],
        (deserved, limit, request, weight, priority, usage, age) =>
            new FairShareClaim(deserved, limit, request, weight, priority, usage, Created.AddDays(age), ""));

    private static readonly Gen<(long Total, FairShareClaim[] Claims, long Unit, double KValue)> CaseGen = Gen.Select(
        Gen.Long[0, 25_000],
        ClaimGen.Array[0, 10].Select(claims => claims.Select((claim, i) => claim with { Uid = $"q{i}" }).ToArray()),
        Gen.Bool.Select(gpu => gpu ? Gpu : Cpu),
        Gen.Double[0, 2]);

    [Fact]
    public void Divide_ForRandomFiniteQuotas_StaysWithinTotalOrDeservedAndWithinRequestable()
    {
        CaseGen.Sample(
            c =>
            {
                var shares = FairShareDivision.Divide(c.Total, c.Claims, c.Unit, c.KValue);

                var deservedSum = 0L;
                for (var i = 0; i < c.Claims.Length; i++)
                {
                    var claim = c.Claims[i];
                    var requestable = claim.Limit == -1 ? claim.Request : Math.Min(claim.Limit, claim.Request);
                    var deservedPart = Math.Min(claim.Deserved, requestable);
                    deservedSum += deservedPart;

                    Assert.True(shares[i] >= deservedPart, $"{claim.Uid} got {shares[i]} below its deserved part {deservedPart}");

                    // With one-unit steps no queue exceeds its requestable. With GPU steps KAI's leftover pass can
                    // hand a whole GPU to a queue missing less, so the bound is "less than one step over".
                    if (c.Unit == Cpu)
                    {
                        Assert.True(shares[i] <= requestable, $"{claim.Uid} got {shares[i]} over its requestable {requestable}");
                    }
                    else
                    {
                        Assert.True(shares[i] < requestable + c.Unit, $"{claim.Uid} got {shares[i]} a step over {requestable}");
                    }
                }

                Assert.True(shares.Sum() <= Math.Max(c.Total, deservedSum), $"sum {shares.Sum()} over max({c.Total}, {deservedSum})");
            },
            iter: 2_000);
    }
}
