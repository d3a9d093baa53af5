using Kai.Scheduling.Configuration;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.NodePlacement;

/// <summary>Which fitting node a pod goes to (spec §7.1): availability, resource type, binpack or spread, name.</summary>
public sealed class NodePlacementTests
{
    [Fact]
    public void RunCycle_WhenBinpackingGpus_PutsThePodOnTheFullestNodeThatFits()
    {
        var cluster = ThreeGpuNodesWithTwoSixAndFourUsed().With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenBinpackingGpus_SkipsFullerNodesThatDoNotFit()
    {
        var cluster = ThreeGpuNodesWithTwoSixAndFourUsed().With(A.PodGroup("j0").Members(1, gpu: 3));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n3"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenSpreadingGpus_PutsThePodOnTheEmptiestNode()
    {
        var cluster = ThreeGpuNodesWithTwoSixAndFourUsed()
            .Placement(gpu: PlacementStrategy.Spread, cpu: PlacementStrategy.Binpack)
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenSpreadingGpus_ComparesFreeToTotal()
    {
        var cluster = new Cluster()
            .With(A.Node("big").Gpus(8), A.Node("small").Gpus(2))
            .With(A.PodGroup("used").Members(1, gpu: 3, with: p => p.Running("big")))
            .Placement(gpu: PlacementStrategy.Spread, cpu: PlacementStrategy.Binpack)
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@small"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenPodIsCpuOnly_PrefersACpuOnlyNodeOverAFullerGpuNode()
    {
        var cluster = new Cluster()
            .With(A.Node("gpu-node").Gpus(8).Cpu("32"), A.Node("cpu-node").Cpu("32"))
            .With(A.PodGroup("used").Members(1, cpu: "28", with: p => p.Running("gpu-node")))
            .With(A.PodGroup("j0").Members(1, cpu: "2"));

        var result = cluster.Run();

        Assert.Equal(["j0-0@cpu-node"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenCpuOnlyNodesAreFull_PutsCpuPodOnAGpuNode()
    {
        var cluster = new Cluster()
            .With(A.Node("gpu-node").Gpus(8).Cpu("32"), A.Node("cpu-node").Cpu("4"))
            .With(A.PodGroup("j0").Members(1, cpu: "8"));

        var result = cluster.Run();

        Assert.Equal(["j0-0@gpu-node"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenBinpackingCpu_PutsThePodOnTheCpuNodeWithLeastFreeCpuThatFits()
    {
        var cluster = new Cluster()
            .With(A.Node("c1").Cpu("32"), A.Node("c2").Cpu("32"), A.Node("c3").Cpu("32"))
            .With(A.PodGroup("used").Members(1, cpu: "30", with: p => p.Running("c1")).Members(1, cpu: "16", with: p => p.Running("c2")))
            .With(A.PodGroup("j0").Members(1, cpu: "4"));

        var result = cluster.Run();

        Assert.Equal(["j0-0@c2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenSpreadingCpu_PutsThePodOnTheCpuNodeWithMostFreeCpu()
    {
        var cluster = new Cluster()
            .With(A.Node("c1").Cpu("32"), A.Node("c2").Cpu("32"))
            .With(A.PodGroup("used").Members(1, cpu: "16", with: p => p.Running("c1")))
            .Placement(gpu: PlacementStrategy.Binpack, cpu: PlacementStrategy.Spread)
            .With(A.PodGroup("j0").Members(1, cpu: "4"));

        var result = cluster.Run();

        Assert.Equal(["j0-0@c2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenTheFullerNodeNeedsReleasingCapacity_PrefersANodeThatFitsOnIdle()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4), A.Node("n2").Gpus(2))
            .With(A.PodGroup("leaving").Members(1, gpu: 2, with: p => p.Releasing("n2")))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1"], result.Binds());
        Assert.Empty(result.Pipelines());
    }

    [Fact]
    public void RunCycle_WhenOnlyReleasingCapacityFits_PipelinesThePodThere()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(4))
            .With(A.PodGroup("leaving").Members(1, gpu: 4, with: p => p.Releasing("n2")))
            .With(A.PodGroup("j0").Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Empty(result.Binds());
        Assert.Equal(["j0-0@n2"], result.Pipelines());
    }

    [Fact]
    public void RunCycle_WhenBinpacking_CountsReleasingCapacityAsFree()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(5))
            .With(A.PodGroup("leaving").Members(1, gpu: 4, with: p => p.Releasing("n2")))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenNodesTie_TakesTheFirstByName()
    {
        var cluster = new Cluster()
            .With(A.Node("b").Gpus(4), A.Node("c").Gpus(4), A.Node("a").Gpus(4))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@a"], result.Binds());
    }

    /// <summary>n1, n2, n3 with 8 GPUs each; n2 has 6 in use and n3 has 4, so free is 8, 2, 4.</summary>
    private static Cluster ThreeGpuNodesWithTwoSixAndFourUsed() => new Cluster()
        .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(8), A.Node("n3").Gpus(8))
        .With(A.PodGroup("used").Members(1, gpu: 6, with: p => p.Running("n2")).Members(1, gpu: 4, with: p => p.Running("n3")));
}
