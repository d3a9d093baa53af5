using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.NominatedNode;

/// <summary>KAI's nominatednode score (1,000,000): a pod goes to the node in its <c>status.nominatedNodeName</c> while it fits there.</summary>
public sealed class NominatedNodeTests
{
    [Fact]
    public void RunCycle_WhenTheNominatedNodeFits_PlacesThePodThereOverTheFullerNode()
    {
        var cluster = Nodes().With(A.PodGroup("j0").Pod("pod", p => p.Gpu(2).NominatedNode("roomy")));

        Assert.Equal(["pod@roomy"], cluster.Run().Binds());
    }

    [Fact]
    public void RunCycle_WhenTheNominatedNodeHasNoRoom_PlacesThePodElsewhere()
    {
        var cluster = Nodes().With(A.PodGroup("j0").Pod("pod", p => p.Gpu(6).NominatedNode("full")));

        Assert.Equal(["pod@roomy"], cluster.Run().Binds());
    }

    [Fact]
    public void RunCycle_WhenTheNominatedNodeDoesNotExist_PlacesThePodAsWithoutOne()
    {
        var cluster = Nodes().With(A.PodGroup("j0").Pod("pod", p => p.Gpu(2).NominatedNode("gone")));

        Assert.Equal(["pod@full"], cluster.Run().Binds());
    }

    /// <summary>"full" has 2 GPUs free (binpacking's choice), "roomy" 8.</summary>
    private static Cluster Nodes() => new Cluster()
        .With(A.Node("full").Gpus(8), A.Node("roomy").Gpus(8))
        .With(A.PodGroup("fill").Pod("fill-0", p => p.Gpu(6).Running("full")));
}
