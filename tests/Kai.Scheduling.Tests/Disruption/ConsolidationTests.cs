using Kai.Scheduling.Configuration;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Consolidation (spec §1.4, §9): for a preemptible group that does not fit only because free GPUs are
/// scattered, move preemptible pods (any queue) so that it fits - only when the free GPUs suffice in total,
/// only if every moved pod is placed again, with a bounded number of moved groups, and not at all when the
/// bound is 0.
/// </summary>
public sealed class ConsolidationTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default;

    [Fact]
    public void RunCycle_WhenFreeGpusAreScatteredOverNodes_ConsolidationMovesAPodAndPipelinesThePreemptor()
    {
        var state = Fragmented().State();

        var result = state.Run(Config);

        Assert.Equal(["consolidation evict v-0@n1 for ns/p", "consolidation pipeline v-0@n2", "consolidation pipeline p-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenConsolidationIsOff_FragmentedGpusStayFragmented()
    {
        var state = Fragmented().State();

        var result = state.Run(Config with { MaxConsolidationPreemptees = 0 });

        Assert.Empty(result.Decisions);
        Assert.Empty(result.Notes("p", ActionKind.Consolidation));
    }

    [Fact]
    public void RunCycle_WhenTheClusterHasFewerFreeGpusThanNeeded_ConsolidationDoesNotTryAndSaysWhy()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("v").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("w").Created(A.MinutesAgo(40)).Members(2, gpu: 1, with: p => p.Running("n2")))
            .With(Workloads.Pending("p", "q", gpu: 2))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["the cluster has 1 free GPUs in all, fewer than the 2 needed, so moving pods cannot help"], result.Notes("p", ActionKind.Consolidation));
    }

    [Fact]
    public void RunCycle_WhenFreeCpuIsScatteredOverNodes_ConsolidationMovesAPodForACpuOnlyGroup()
    {
        var state = new Cluster()
            .With(A.Node("n1").Cpu("4"), A.Node("n2").Cpu("4"))
            .With(A.PodGroup("c1").Created(A.MinutesAgo(30)).Members(1, cpu: "2", with: p => p.Running("n1")))
            .With(A.PodGroup("c2").Created(A.MinutesAgo(40)).Members(1, cpu: "2", with: p => p.Running("n2")))
            .With(A.PodGroup("p").Created(A.MinutesAgo(5)).Members(1, cpu: "4"))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["consolidation evict c1-0@n1 for ns/p", "consolidation pipeline c1-0@n2", "consolidation pipeline p-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAMovedPodCouldNotBePlacedAgain_ConsolidationEvictsNothing()
    {
        // v is pinned to n1 and w to n2: making room means evicting one of them for good. p (75, still
        // preemptible) is placed first in the simulation, so the scenario gets as far as the all-placed check.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2).Label("zone", "a"), A.Node("n2").Gpus(2).Label("zone", "b"))
            .With(A.PodGroup("v").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.NodeSelector("zone", "a").Running("n1")))
            .With(A.PodGroup("w").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.NodeSelector("zone", "b").Running("n2")))
            .With(Workloads.Pending("p", "q", gpu: 2, priority: 75))
            .State();

        var result = state.Run(Config with { Actions = [ActionKind.Allocate, ActionKind.Consolidation] });

        Assert.Empty(result.Decisions);
        Assert.Equal(["moving the running pods would not place all of them again"], result.Notes("p", ActionKind.Consolidation));
    }

    [Fact]
    public void RunCycle_WhenThePreemptorIsNonPreemptible_ConsolidationIgnoresIt()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("v").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("w").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
            .With(Workloads.Pending("p", "q", gpu: 2, priority: 125))
            .State();

        var result = state.Run(Config);

        Assert.DoesNotContain(result.Decisions, d => d.Action == ActionKind.Consolidation);
        Assert.Empty(result.Notes("p", ActionKind.Consolidation));
    }

    [Fact]
    public void RunCycle_WhenTheOnlyMovablePodsAreNonPreemptible_ConsolidationMovesNothing()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("v").Priority(100).Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("w").Priority(100).Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
            .With(Workloads.Pending("p", "q", gpu: 2))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 non-preemptible"], result.Notes("p", ActionKind.Consolidation));
    }

    [Fact]
    public void RunCycle_WhenRoomNeedsTwoGroupsMovedAndTwoAreAllowed_ConsolidationMovesBoth()
    {
        var state = TwoMovesNeeded().State();

        var result = state.Run(Config with { MaxConsolidationPreemptees = 2 });

        Assert.Equal(
            ["consolidation evict a2-0@n1 for ns/p", "consolidation pipeline a2-0@n2", "consolidation evict a1-0@n1 for ns/p", "consolidation pipeline a1-0@n2", "consolidation pipeline p-0@n1"],
            result.Texts());
    }

    // Deliberately stricter than KAI, which admits max+1 victim groups (docs/differences-from-kai.md).
    [Fact]
    public void RunCycle_WhenRoomNeedsMoreGroupsMovedThanAllowed_ConsolidationMovesNothing()
    {
        var state = TwoMovesNeeded().State();

        var result = state.Run(Config with { MaxConsolidationPreemptees = 1 } with { Actions = [ActionKind.Allocate, ActionKind.Consolidation] });

        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RunCycle_WhenConsolidationMovesPodsOfOtherQueues_NoPodStopsRunning()
    {
        // The victim is in another queue; consolidation ignores queues and fair share, it only moves.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Queue("qa"), A.Queue("qb"))
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("v").InQueue("qb").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("w").InQueue("qb").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
            .With(Workloads.Pending("p", "qa", gpu: 2))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["consolidation evict v-0@n1 for ns/p", "consolidation pipeline v-0@n2", "consolidation pipeline p-0@n1"], result.Texts());
    }

    /// <summary>n1 and n2 (2 GPUs each) each hold one 1-GPU pod (v newer on n1, w on n2); p wants 2 GPUs on one node.</summary>
    private static Cluster Fragmented() => new Cluster()
        .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
        .With(A.PodGroup("v").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
        .With(A.PodGroup("w").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
        .With(Workloads.Pending("p", "q", gpu: 2));

    /// <summary>
    /// n1 (3 GPUs): a1, a2 (1 GPU each) + 1 free; n2 (3 GPUs): b (non-preemptible, 1 GPU) + 2 free. p wants 3
    /// GPUs on one node: only n1 can be emptied, by moving both a1 and a2 to n2.
    /// </summary>
    private static Cluster TwoMovesNeeded() => new Cluster()
        .With(A.Node("n1").Gpus(3), A.Node("n2").Gpus(3))
        .With(A.PodGroup("a1").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n1")))
        .With(A.PodGroup("a2").Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")))
        .With(A.PodGroup("b").Priority(100).Created(A.MinutesAgo(50)).Members(1, gpu: 1, with: p => p.Running("n2")))
        .With(Workloads.Pending("p", "q", gpu: 3));
}
