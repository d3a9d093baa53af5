using Kai.Scheduling.Configuration;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Placement;

/// <summary>The indexed node search against scoring every node, on hand-made states.</summary>
public sealed class NodeSearchTests
{
    [Fact]
    public void Find_WhenNoNodeFits_ReturnsNone()
    {
        var session = new Cluster().With(A.Node("n1").Gpus(2)).With(A.PodGroup("j0").Members(1, gpu: 4)).Open();

        var placement = NodeSearch.Find(session, session.Pod("j0-0"));

        Assert.Equal(NodeSearch.Placement.None, placement);
    }

    [Theory]
    [InlineData(PlacementStrategy.Binpack, PlacementStrategy.Binpack)]
    [InlineData(PlacementStrategy.Spread, PlacementStrategy.Spread)]
    public void Find_WithReleasingPodsAndMixedNodes_AgreesWithTheFullScanForEveryPod(PlacementStrategy gpu, PlacementStrategy cpu)
    {
        var session = new Cluster()
            .With(A.Node("g1").Gpus(8), A.Node("g2").Gpus(4), A.Node("c1").Cpu("16"), A.Node("c2").Cpu("64"))
            .With(A.PodGroup("busy").Members(1, gpu: 3, cpu: "8", with: p => p.Running("g1")).Members(1, cpu: "12", with: p => p.Running("c1")))
            .With(A.PodGroup("leaving").Members(1, gpu: 4, cpu: "2", with: p => p.Releasing("g2")).Members(1, cpu: "40", with: p => p.Releasing("c2")))
            .With(A.PodGroup("gpu").Members(1, gpu: 1).Members(1, gpu: 4).Members(1, gpu: 6))
            .With(A.PodGroup("cpu").Members(1, cpu: "2").Members(1, cpu: "20").Members(1, cpu: "50"))
            .Placement(gpu, cpu)
            .Open();

        for (var p = 0; p < session.Snapshot.Pods.Count; p++)
        {
            if (session.StatusOf(p) == Model.PodStatus.Pending)
            {
                Assert.Equal(NodeSearch.Find(session, p, forceFullScan: true), NodeSearch.Find(session, p));
            }
        }
    }

    [Fact]
    public void Find_WhenANodeHasNoCpuAndThePodRequestsNone_AgreesWithTheFullScan()
    {
        var session = new Cluster()
            .With(A.Node("a").Cpu("0"), A.Node("b").Cpu("32"))
            .With(A.PodGroup("j0").Members(1, memory: "1Gi"))
            .Open();

        var scanned = NodeSearch.Find(session, session.Pod("j0-0"), forceFullScan: true);
        var indexed = NodeSearch.Find(session, session.Pod("j0-0"));

        Assert.Equal(scanned, indexed);
    }
}
