using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Actions;

/// <summary>Pods of other schedulers only take capacity; this engine never places them.</summary>
public sealed class ForeignPodTests
{
    [Fact]
    public void RunCycle_WhenAForeignPodRunsOnANode_ItsCapacityIsTaken()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4), A.Node("n2").Gpus(4))
            .With(A.Pod("foreign").Gpu(4).NotOurs().Running("n1"))
            .With(A.PodGroup("j0").Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenAGroupHasAPendingPodOfAnotherScheduler_NeverBindsIt()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.PodGroup("j0").Pod("foreign", p => p.Gpu(1).NotOurs()).Pod("ours", p => p.Gpu(1)));

        var result = cluster.Run();

        Assert.Equal(["ours@n1"], result.Binds());
    }
}
