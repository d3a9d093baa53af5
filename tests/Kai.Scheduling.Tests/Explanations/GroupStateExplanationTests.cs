using Kai.Scheduling.Explanations;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Explanations;

/// <summary>Groups that are not scheduled at all: not ready (too few pods), or without a queue.</summary>
public sealed class GroupStateExplanationTests
{
    [Fact]
    public void Build_WhenGangHasFewerPodsThanMinMember_IsNotReady()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").MinMember(3).Members(2, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            new GroupExplanation(A.GroupKey("j0"), GroupExplanation.NotReady, "not ready for scheduling: waiting for 3 pods (minMember), currently 2 exist and 0 are gated."),
            Assert.Single(result.Explanations));
    }

    [Fact]
    public void Build_WhenGatedPodsLeaveTooFewSchedulable_IsNotReadyCountingThem()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").MinMember(2).Members(1, gpu: 1).Members(1, gpu: 1, with: p => p.Gated()));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal("not ready for scheduling: waiting for 2 pods (minMember), currently 2 exist and 1 are gated.", Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void Build_WhenAMemberHasFinished_NotReadyCountsOnlyLivePods()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").MinMember(3).Members(2, gpu: 1).Members(1, gpu: 1, with: p => p.WithStatus(PodStatus.Succeeded, "n1")));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal("not ready for scheduling: waiting for 3 pods (minMember), currently 2 exist and 0 are gated.", Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void Build_WhenQueueDoesNotExist_SaysQueueDoesNotExist()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").InQueue("nowhere").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal(GroupExplanation.QueueDoesNotExist, explanation.Reason);
        Assert.StartsWith("queue 'nowhere' does not exist or is not a leaf queue", explanation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenQueueIsNotALeaf_SaysQueueDoesNotExist()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("dept"), A.Queue("team").Parent("dept"))
            .With(A.PodGroup("j0").InQueue("dept").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(GroupExplanation.QueueDoesNotExist, Assert.Single(result.Explanations).Reason);
    }
}
