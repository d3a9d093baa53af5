using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>
/// The worked examples of KAI's documentation: the two pseudo-code blocks of docs/fairness/README.md
/// (deserved, then weighted over-quota capped by the remaining request), the request/response example of
/// cmd/fairshare-simulator/README.md, and the two-queue 16-GPU set-up of docs/timeaware/README.md.
/// </summary>
public sealed class FairShareDivisionDocExampleTests
{
    [Fact]
    public void Divide_WhenFairnessDocDeservedStep_GivesEachQueueMinOfDeservedAndRequested()
    {
        // Weight 0 everywhere isolates the deserved step: fairShare += min(deserved, requested).
        FairShareClaim[] claims =
        [
            Claim("a", deserved: 4 * Gpu, request: 3 * Gpu, weight: 0),
            Claim("b", deserved: 4 * Gpu, request: 6 * Gpu, weight: 0),
            Claim("c", deserved: 2 * Gpu, request: 0, weight: 0),
        ];

        var shares = FairShareDivision.Divide(10 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 3 * Gpu, 4 * Gpu, 0 }, shares);
    }

    [Fact]
    public void Divide_WhenFairnessDocOverQuotaStep_CapsAtRemainingRequestAndRedistributesTheRest()
    {
        // Round 1: 6000 each by weight; "a" needs only 2000. Round 2: the 4000 it left go to "b".
        FairShareClaim[] claims =
        [
            Claim("a", request: 2_000),
            Claim("b", request: 10_000),
        ];

        var shares = FairShareDivision.Divide(12_000, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 2_000, 10_000 }, shares);
    }

    [Fact]
    public void Divide_WhenFairshareSimulatorReadmeExample_Gives70And30Gpus()
    {
        FairShareClaim[] claims =
        [
            Claim("queue1", deserved: 10 * Gpu, request: 100 * Gpu, weight: 3),
            Claim("queue2", deserved: 10 * Gpu, request: 100 * Gpu, weight: 1),
        ];

        var shares = FairShareDivision.Divide(100 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 70 * Gpu, 30 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenTimeAwareDocSetupWithoutUsage_SplitsSixteenGpusEvenly()
    {
        FairShareClaim[] claims =
        [
            Claim("q1", request: 16 * Gpu),
            Claim("q2", request: 16 * Gpu),
        ];

        var shares = FairShareDivision.Divide(16 * Gpu, claims, Gpu, kValue: 1);

        Assert.Equal(new long[] { 8 * Gpu, 8 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenTimeAwareDocSetupAndOneQueueUsedHalfTheCluster_ThatQueueGetsLess()
    {
        // Share weights: 0.5 + 1*(0.5 - 0.5) = 0.5 and 0.5 + 1*(0.5 - 0) = 1, so 16 GPUs split 5.33 / 10.67;
        // floors give 5 and 10, and the leftover GPU goes to the larger remainder (0.67).
        FairShareClaim[] claims =
        [
            Claim("q1", request: 16 * Gpu, usage: 0.5),
            Claim("q2", request: 16 * Gpu, usage: 0),
        ];

        var shares = FairShareDivision.Divide(16 * Gpu, claims, Gpu, kValue: 1);

        Assert.Equal(new long[] { 5 * Gpu, 11 * Gpu }, shares);
    }
}
