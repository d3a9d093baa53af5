using Kai.Scheduling.Configuration;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>What a pending group's explanation says about the disruptive actions that could not help it.</summary>
public sealed class DisruptionExplanationTests
{
    [Fact]
    public void RunCycle_WhenTheQueueIsNotBelowItsFairShare_ReclaimNotesItWithTheFigures()
    {
        // qa holds 4 = its fair share; with a it would hold 5.
        var result = AtFairShare().State().Run(SchedulerConfiguration.Default);

        Assert.Equal(
            ["queue qa is not below its fair share (4 GPUs, 0 cpu, 0 bytes memory; with this job it would hold 5 GPUs, 0 cpu, 0 bytes memory)"],
            result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenNoDisruptiveActionHelps_TheExplanationCarriesOneNotePerActionInActionOrder()
    {
        var result = AtFairShare().State().Run(SchedulerConfiguration.Default);

        var explanation = result.Explanation("a");
        Assert.Equal(GroupExplanation.Unschedulable, explanation.Reason);
        Assert.Equal(
            [
                "consolidation: the cluster has 0 free GPUs in all, fewer than the 1 needed, so moving pods cannot help",
                "reclaim: queue qa is not below its fair share (4 GPUs, 0 cpu, 0 bytes memory; with this job it would hold 5 GPUs, 0 cpu, 0 bytes memory)",
                "preempt: no running pod group may be evicted: 4 in other queues, 4 of equal or higher priority",
            ],
            result.Notes("a"));
    }

    [Fact]
    public void RunCycle_WhenTheGroupIsOverItsQueueLimit_DisruptiveNotesAreLeftOut()
    {
        // Evictions cannot lift a limit: the explanation is the limit alone, though n1 has room.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(limit: 4), A.Queue("qb"))
            .With(Workloads.RunningSingles("v", 4, "qa", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();

        var result = state.Run(SchedulerConfiguration.Default);

        Assert.Equal(GroupExplanation.OverLimit, result.Explanation("a").Reason);
        Assert.Empty(result.Notes("a"));
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RunCycle_WhenPreemptFindsOnlyProtectedVictims_ItNotesTheMinRuntime()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(Workloads.RunningSingles("v", 2, "q", "n1"))
            .With(Workloads.Pending("hi", "q", priority: 75))
            .State()
            .StartedAt(A.MinutesAgo(2), "v0", "v1");
        var config = SchedulerConfiguration.Default.WithMinRuntime(new MinRuntimeOptions { PreemptMinRuntime = TimeSpan.FromMinutes(5) });

        var result = state.Run(config);

        Assert.Equal(["no running pod group may be evicted: 2 within their min-runtime"], result.Notes("hi", ActionKind.Preempt));
    }

    /// <summary>qa and qb (quota 4 each) hold 4 GPUs each of n1's 8; a (1 GPU, priority 50) waits in qa.</summary>
    private static Cluster AtFairShare() => new Cluster().WithoutDefaultQueue()
        .With(A.Node("n1").Gpus(8))
        .With(A.Queue("qa").Gpu(quota: 4), A.Queue("qb").Gpu(quota: 4))
        .With(Workloads.RunningSingles("v", 4, "qa", "n1"))
        .With(Workloads.RunningSingles("b", 4, "qb", "n1"))
        .With(Workloads.Pending("a", "qa"));
}
