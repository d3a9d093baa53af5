using Kai.Scheduling.Configuration;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Preempt (spec §1.4, §14.5): inside one queue, a pending group evicts preemptible groups of strictly lower
/// priority, in victim order (lowest priority first, then newest), and the preemptor waits pipelined.
/// </summary>
public sealed class PreemptTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default.WithoutConsolidation();

    [Fact]
    public void RunCycle_WhenARunningPodNamesAnUnknownSubGroup_ItIsNoVictimAndTheCycleCompletes()
    {
        // Regression: the let-go pod stayed in its group's member list, and a victim search reaching it crashed.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("lo").InQueue("q").Priority(50).Created(A.MinutesAgo(90)).SubGroup("workers", 1)
                .Members(1, gpu: 1, with: p => p.InSubGroup("workers").Running("n1"))
                .Members(1, gpu: 1, with: p => p.InSubGroup("typo").Running("n1")))
            .With(Workloads.Pending("hi", "q", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict lo-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAHigherPriorityGroupIsPending_PreemptEvictsTheNewestLowerPriorityPodOfItsQueue()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(Workloads.RunningSingles("v", 4, "q", "n1"))
            .With(Workloads.Pending("hi", "q", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v3-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenVictimsHaveDifferentPriorities_PreemptTakesTheLowestPriorityFirstEvenIfOlder()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("lo").Priority(50).Created(A.MinutesAgo(90)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("mid").Priority(75).Created(A.MinutesAgo(10)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("hi", "q", priority: 125))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict lo-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenRunningGroupsHaveEqualPriority_PreemptEvictsNothingAndSaysWhy()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(Workloads.RunningSingles("v", 2, "q", "n1", priority: 75))
            .With(Workloads.Pending("same", "q", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 of equal or higher priority"], result.Notes("same", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenLowerPriorityGroupsAreNonPreemptible_PreemptEvictsNothingAndSaysWhy()
    {
        // Priority 100 is non-preemptible unless told otherwise; the preemptor (125) is still higher.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(Workloads.RunningSingles("v", 2, "q", "n1", priority: 100))
            .With(Workloads.Pending("hi", "q", priority: 125))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 non-preemptible"], result.Notes("hi", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenAnExplicitlyPreemptibleGroupHasHighPriority_PreemptMayStillTakeItFromAHigherOne()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(1))
            .With(A.PodGroup("v").Priority(100).Preemptible(true).Created(A.MinutesAgo(60)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("hi", "q", priority: 125))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenLowerPriorityWorkRunsOnlyInAnotherQueue_PreemptDoesNotCrossQueues()
    {
        // qa has no fair share (quota 0, weight 0), so reclaim cannot help either.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(2))
            .With(A.Queue("qa").Gpu(quota: 0, weight: 0), A.Queue("qb"))
            .With(Workloads.RunningSingles("v", 2, "qb", "n1"))
            .With(Workloads.Pending("hi", "qa", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 in other queues"], result.Notes("hi", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenVictimsAreOfSeveralKinds_PreemptCountsEachReasonMostFirst()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(Workloads.RunningSingles("eq", 2, "q", "n1", priority: 75))
            .With(Workloads.RunningSingles("np", 1, "q", "n1", priority: 100))
            .With(A.PodGroup("hi2").Priority(125).Preemptible(true).Created(A.MinutesAgo(50)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("mid", "q", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 3 of equal or higher priority, 1 non-preemptible"], result.Notes("mid", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenAGangPreemptorNeedsSeveralVictims_PreemptEvictsThemAllInOneStatementAndPipelinesTheWholeGang()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(Workloads.RunningSingles("v", 4, "q", "n1"))
            .With(Workloads.Pending("gang", "q", pods: 2, priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(
            ["preempt evict v3-0@n1 for ns/gang", "preempt evict v2-0@n1 for ns/gang", "preempt pipeline gang-0@n1", "preempt pipeline gang-1@n1"],
            result.Texts());
        Assert.Empty(result.StartedGroups);
    }
}
