using Kai.Scheduling.Plugins.Proportion.Fairness;
using static Kai.Scheduling.Plugins.Tests.Proportion.Fairness.TestClaims;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Fairness;

/// <summary>The floor to whole KAI steps and the leftover pass that hands out what the floors kept back.</summary>
public sealed class FairShareDivisionLeftoverTests
{
    [Fact]
    public void Divide_WhenGpuCandidatesAreFractional_FloorsToWholeGpusAndGivesTheSpareGpuToOne()
    {
        // 1.5 GPUs each floor to 1; the spare GPU goes whole to the first in leftover order.
        FairShareClaim[] claims =
        [
            Claim("a", request: 10 * Gpu),
            Claim("b", request: 10 * Gpu),
        ];

        var shares = FairShareDivision.Divide(3 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 1 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenHalfAGpuIsLeft_TheLeftoverIsHalfAGpu()
    {
        FairShareClaim[] claims =
        [
            Claim("a", request: 10 * Gpu),
            Claim("b", request: 10 * Gpu),
        ];

        var shares = FairShareDivision.Divide(2_500, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 1_500, 1_000 }, shares);
    }

    [Fact]
    public void Divide_WhenTheSameAmountsAreCpu_StepsAreMillicoresAndNothingIsKeptBack()
    {
        FairShareClaim[] claims =
        [
            Claim("a", request: 10_000),
            Claim("b", request: 10_000),
        ];

        var shares = FairShareDivision.Divide(2_500, claims, Cpu, kValue: 0);

        Assert.Equal(new long[] { 1_250, 1_250 }, shares);
    }

    [Fact]
    public void Divide_WhenRemaindersTie_OlderQueueGetsTheLeftover()
    {
        // 7 GPUs at 1:1 are 3.5 each; the younger queue is listed first to show claim order does not decide.
        FairShareClaim[] claims =
        [
            Claim("young", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2, created: Created.AddHours(1)),
            Claim("old", deserved: 2 * Gpu, request: 6 * Gpu, weight: 2, created: Created),
        ];

        var shares = FairShareDivision.Divide(11 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 5 * Gpu, 6 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenRemaindersAndCreationTie_LowerUidGetsTheLeftover()
    {
        FairShareClaim[] claims =
        [
            Claim("queue-2", deserved: 2 * Gpu, request: 3 * Gpu, weight: 2),
            Claim("queue-1", deserved: 2 * Gpu, request: 3 * Gpu, weight: 2),
        ];

        var shares = FairShareDivision.Divide(5 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 3 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenUidsDifferOnlyInCase_OrdinalOrderDecides()
    {
        // Ordinal: "B" (0x42) sorts before "a" (0x61), unlike a culture-aware comparison.
        FairShareClaim[] claims =
        [
            Claim("a", request: 10 * Gpu),
            Claim("B", request: 10 * Gpu),
        ];

        var shares = FairShareDivision.Divide(1 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 0, 1 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenLeftoverStepsAreFewerThanQueues_EachQueueGetsAtMostOneStep()
    {
        // 2 GPUs over three queues are 0.67 each, all floored away; the two oldest get one GPU each.
        FairShareClaim[] claims =
        [
            Claim("c", request: 10 * Gpu, created: Created.AddMinutes(2)),
            Claim("a", request: 10 * Gpu, created: Created),
            Claim("b", request: 10 * Gpu, created: Created.AddMinutes(1)),
        ];

        var shares = FairShareDivision.Divide(2 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 0, 1 * Gpu, 1 * Gpu }, shares);
    }

    [Fact]
    public void Divide_WhenLowerBucketHasLargerRemainder_HigherBucketStillGetsTheLeftoverFirst()
    {
        // High bucket: 3 GPUs at 3:1 are 2.25 / 0.75, floors 2 / 0, one GPU left. Low bucket: that GPU at 9:1
        // is 0.9 / 0.1, floors 0 / 0. The leftover goes to the high bucket's 0.75, not the low bucket's 0.9.
        FairShareClaim[] claims =
        [
            Claim("high-a", request: 10 * Gpu, weight: 3, priority: 2),
            Claim("high-b", request: 10 * Gpu, weight: 1, priority: 2),
            Claim("low-a", request: 10 * Gpu, weight: 9, priority: 1),
            Claim("low-b", request: 10 * Gpu, weight: 1, priority: 1),
        ];

        var shares = FairShareDivision.Divide(3 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 2 * Gpu, 1 * Gpu, 0, 0 }, shares);
    }

    [Fact]
    public void Divide_WhenLeftoverStepExceedsTheRemainingRequest_GivesTheWholeStepAsKaiDoes()
    {
        // 0.5 GPU candidates against 0.7 GPU requests floor to nothing; KAI's leftover step is not capped
        // by the request, so the first queue ends at 1 GPU for a 0.7 GPU request.
        FairShareClaim[] claims =
        [
            Claim("a", request: 700),
            Claim("b", request: 700),
        ];

        var shares = FairShareDivision.Divide(1 * Gpu, claims, Gpu, kValue: 0);

        Assert.Equal(new long[] { 1 * Gpu, 0 }, shares);
    }
}
