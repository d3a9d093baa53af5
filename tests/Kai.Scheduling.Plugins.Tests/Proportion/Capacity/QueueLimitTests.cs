using Kai.Scheduling.Explanations;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Capacity;

/// <summary>Queue limits (spec §3.4): checked on the leaf and every ancestor for the whole quantum; -1 unlimited, 0 blocks.</summary>
public sealed class QueueLimitTests
{
    [Fact]
    public void RunCycle_WhenJobWouldExceedItsQueueLimit_IsRefusedAsOverLimit()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(limit: 2))
            .With(A.PodGroup("running").InQueue("team-a").Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("j0").InQueue("team-a").Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            new GroupExplanation(A.GroupKey("j0"), GroupExplanation.OverLimit,
                "queue team-a has reached its nvidia.com/gpu limit: limit is 2 GPUs, 1 GPUs are allocated and the workload requests 2 GPUs."),
            Assert.Single(result.Explanations));
    }

    [Fact]
    public void RunCycle_WhenJobWouldExceedAnAncestorsLimit_IsRefusedNamingTheAncestor()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("dept").Gpu(limit: 4), A.Queue("team-a").Parent("dept"), A.Queue("team-b").Parent("dept"))
            .With(A.PodGroup("running").InQueue("team-b").Members(1, gpu: 3, with: p => p.Running("n1")))
            .With(A.PodGroup("j0").InQueue("team-a").Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal(GroupExplanation.OverLimit, explanation.Reason);
        Assert.Equal("queue dept has reached its nvidia.com/gpu limit: limit is 4 GPUs, 3 GPUs are allocated and the workload requests 2 GPUs.", explanation.Message);
    }

    [Fact]
    public void RunCycle_WhenJobReachesTheLimitExactly_IsPlaced()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(limit: 4))
            .With(A.PodGroup("j0").InQueue("team-a").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(4, result.Binds().Length);
    }

    [Fact]
    public void RunCycle_WhenLimitIsZero_BlocksTheResource()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(quota: 0, limit: 0))
            .With(A.PodGroup("j0").InQueue("team-a").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal("queue team-a has reached its nvidia.com/gpu limit: limit is 0 GPUs, 0 GPUs are allocated and the workload requests 1 GPUs.", Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void RunCycle_WhenQueueHasNoResources_BlocksCpuToo()
    {
        var cluster = new Cluster()
            .With(A.Node("n1"))
            .With(A.Queue("bare").WithoutResources())
            .With(A.PodGroup("j0").InQueue("bare").Members(1, cpu: "1"));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal("queue bare has reached its cpu limit: limit is 0 cpu, 0 cpu are allocated and the workload requests 1 cpu.", Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void RunCycle_WhenGpuLimitIsZero_CpuOnlyJobIsStillPlaced()
    {
        var cluster = new Cluster()
            .With(A.Node("n1"))
            .With(A.Queue("team-a").Gpu(quota: 0, limit: 0))
            .With(A.PodGroup("j0").InQueue("team-a").Members(1, cpu: "1"));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenLimitIsUnlimited_PlacesWhateverFits()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(quota: 0, limit: -1))
            .With(A.PodGroup("j0").InQueue("team-a").MinMember(8).Members(8, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(8, result.Binds().Length);
    }

    [Fact]
    public void RunCycle_WhenTheWholeGangExceedsTheLimit_PlacesNoPartOfIt()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(limit: 3))
            .With(A.PodGroup("j0").InQueue("team-a").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(GroupExplanation.OverLimit, Assert.Single(result.Explanations).Reason);
    }

    [Fact]
    public void RunCycle_WhenAnElasticJobGrows_ItStopsAtTheLimit()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(limit: 3))
            .With(A.PodGroup("j0").InQueue("team-a").Members(5, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1", "j0-1@n1", "j0-2@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenEarlierJobsOfTheCycleUsedTheLimit_LaterJobsAreRefused()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("team-a").Gpu(limit: 3))
            .With(A.PodGroup("first").InQueue("team-a").Created(A.MinutesAgo(60)).Members(1, gpu: 2))
            .With(A.PodGroup("second").InQueue("team-a").Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Equal(["first-0@n1"], result.Binds());
        Assert.Equal("second", Assert.Single(result.Explanations).Group.Name);
    }
}
