using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Snapshots;

public sealed class SnapshotNodeOrderTests
{
    [Fact]
    public void Build_WhenNodesArriveUnordered_SortsThemByOrdinalName()
    {
        var cluster = new Cluster().With(A.Node("n2"), A.Node("n10"), A.Node("b"), A.Node("n1"));

        var snapshot = cluster.Snapshot();

        Assert.Equal(["b", "n1", "n10", "n2"], snapshot.Nodes.Select(n => n.Name));
        Assert.Equal(2, snapshot.FindNode("n10"));
        Assert.Equal(-1, snapshot.FindNode("missing"));
    }

    [Fact]
    public void Build_WhenPodNamesANodeThatDoesNotExist_PodHasNoNode()
    {
        var cluster = new Cluster()
            .With(A.Node("n1"))
            .With(A.PodGroup("j0").Pod("ghost-pod", p => p.Running("gone")).Pod("real-pod", p => p.Running("n1")));

        var snapshot = cluster.Snapshot();

        Assert.Equal(-1, snapshot.NodeOf(snapshot.Pod("ghost-pod")));
        Assert.Equal(0, snapshot.NodeOf(snapshot.Pod("real-pod")));
    }
}
