using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Predicates;

/// <summary>Every pod takes one pod slot; a node with all slots taken fits no more pods.</summary>
public sealed class PodSlotsTests
{
    [Fact]
    public void RunCycle_WhenTheFullerNodeHasNoPodSlotLeft_PlacesOnTheOtherNode()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4).MaxPods(2), A.Node("n2").Gpus(8))
            .With(A.PodGroup("small").Members(2, with: p => p.Running("n1")))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenNoNodeHasAPodSlot_ExplainsInsufficientPods()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").MaxPods(1))
            .With(A.PodGroup("small").Members(1, with: p => p.Running("n1")))
            .With(A.PodGroup("j0").Members(1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.EndsWith("0/1 nodes fit: 1 insufficient pods.", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }
}
