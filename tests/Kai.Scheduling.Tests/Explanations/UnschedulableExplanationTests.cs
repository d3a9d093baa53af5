using Kai.Scheduling.Explanations;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Explanations;

/// <summary>Why a group found no nodes: the pod, its request, and node counts per reason.</summary>
public sealed class UnschedulableExplanationTests
{
    [Fact]
    public void Build_WhenNoNodeIsLargeEnough_SaysSoAndCountsGpuShortages()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2), A.Node("cpu1"))
            .With(A.PodGroup("j0").Members(1, gpu: 4));

        var result = cluster.Run();

        Assert.Equal(
            new GroupExplanation(A.GroupKey("j0"), GroupExplanation.Unschedulable,
                "pod ns/j0-0 (requests 4 GPU) does not fit: no node is large enough, it needs more nvidia.com/gpu than any node has; 0/3 nodes fit: 3 insufficient nvidia.com/gpu."),
            Assert.Single(result.Explanations));
    }

    [Fact]
    public void Build_WhenNodesAreBusy_CountsGpuShortagesOnly()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4), A.Node("n2").Gpus(4))
            .With(A.PodGroup("used").Members(1, gpu: 3, with: p => p.Running("n1")).Members(1, gpu: 2, with: p => p.Running("n2")))
            .With(A.PodGroup("j0").Members(1, gpu: 3, cpu: "2", memory: "4Gi"));

        var result = cluster.Run();

        Assert.Equal("pod ns/j0-0 (requests 3 GPU, 2 cpu, 4Gi memory) does not fit: 0/2 nodes fit: 2 insufficient nvidia.com/gpu.", Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void Build_WhenATaintKeepsThePodOff_CountsItBesideTheShortages()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8).Taint("dedicated", "team-b"), A.Node("n2").Gpus(4), A.Node("n3").Gpus(4))
            .With(A.PodGroup("used").Members(1, gpu: 4, with: p => p.Running("n2")).Members(1, gpu: 4, with: p => p.Running("n3")))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.EndsWith("0/3 nodes fit: 2 insufficient nvidia.com/gpu, 1 untolerated taint dedicated=team-b.", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenNodesAreDownOrCordoned_CountsThem()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8).NotReady(), A.Node("n2").Gpus(8).Cordoned())
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.EndsWith("0/2 nodes fit: 1 node not ready, 1 node unschedulable (cordoned).", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenAGangPartlyFits_SaysHowManyCouldBePlaced()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1), A.Node("n3").Gpus(1))
            .With(A.PodGroup("j0").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.StartsWith("gang needs 4 more pods placed together; only 3 could be: pod ns/j0-3 (requests 1 GPU) does not fit", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenAGangPartlyFits_CountsTheShortageTheLastPodMet()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1), A.Node("n3").Gpus(1))
            .With(A.PodGroup("j0").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.EndsWith("0/3 nodes fit: 3 insufficient nvidia.com/gpu.", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenGroupIsPlaced_HasNoExplanation()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").Members(1, gpu: 1))
            .With(A.PodGroup("done").Members(1, gpu: 1, with: p => p.WithStatus(PodStatus.Succeeded, "n1")));

        var result = cluster.Run();

        Assert.Empty(result.Explanations);
    }
}
