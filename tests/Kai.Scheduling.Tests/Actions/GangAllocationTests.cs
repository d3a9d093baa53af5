using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Actions;

/// <summary>Gangs are placed whole or not at all (spec §5).</summary>
public sealed class GangAllocationTests
{
    [Fact]
    public void RunCycle_WhenOnlyThreeOfFourGangPodsFit_PlacesNothing()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1), A.Node("n3").Gpus(1))
            .With(A.PodGroup("j0").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RunCycle_WhenAllFourGangPodsFit_BindsAllFour()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("j0").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1", "j0-1@n1", "j0-2@n2", "j0-3@n2"], result.Binds());
        Assert.Equal([A.GroupKey("j0")], result.StartedGroups);
    }

    [Fact]
    public void RunCycle_WhenTwoGangsCompeteForRoomForOne_OnlyTheFirstInOrderIsPlaced()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(6))
            .With(A.PodGroup("first").Priority(75).MinMember(4).Members(4, gpu: 1))
            .With(A.PodGroup("second").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["first-0@n1", "first-1@n1", "first-2@n1", "first-3@n1"], result.Binds());
        Assert.Equal(4, result.Decisions.Count);
    }

    [Fact]
    public void RunCycle_WhenAGangDoesNotFit_ItLeavesNothingBehindForTheNextGang()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(6))
            .With(A.PodGroup("big").Priority(75).MinMember(4).Members(4, gpu: 2))
            .With(A.PodGroup("small").MinMember(3).Members(3, gpu: 2));

        var result = cluster.Run();

        Assert.Equal(["small-0@n1", "small-1@n1", "small-2@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenElasticGangHasRoom_GrowsToAllPods()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.PodGroup("j0").MinMember(2).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1", "j0-1@n1", "j0-2@n1", "j0-3@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenElasticGangHasRoomForThree_BindsMinimumThenGrowsByOne()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(3))
            .With(A.PodGroup("j0").MinMember(2).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1", "j0-1@n1", "j0-2@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenTwoElasticGangsShareAQueue_GrowthInterleavesOnePodPerAttempt()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("a").Created(A.MinutesAgo(60)).Members(3, gpu: 1))
            .With(A.PodGroup("b").Created(A.MinutesAgo(30)).Members(3, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["a-0@n1", "b-0@n1", "a-1@n1", "b-1@n1", "a-2@n1", "b-2@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenPartOfAGangNeedsReleasingCapacity_PipelinesTheWholeGang()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1))
            .With(A.PodGroup("leaving").Members(1, gpu: 1, with: p => p.Releasing("n2")))
            .With(A.PodGroup("j0").MinMember(2).Members(2, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Binds());
        Assert.Equal(["j0-0@n1", "j0-1@n2"], result.Pipelines());
        Assert.Empty(result.StartedGroups);
    }

    [Fact]
    public void RunCycle_WhenGangIsAlreadyAtMinimumAndOnePodIsPipelined_OnlyThatPodWaits()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1))
            .With(A.PodGroup("leaving").Members(1, gpu: 1, with: p => p.Releasing("n2")))
            .With(A.PodGroup("j0").MinMember(1).Members(1, gpu: 1, with: p => p.Running("n1")).Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-1@n2"], result.Pipelines());
        Assert.Empty(result.StartedGroups);
    }
}
