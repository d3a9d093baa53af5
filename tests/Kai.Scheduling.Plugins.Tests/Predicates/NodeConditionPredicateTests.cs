using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Predicates;

public sealed class NodeConditionPredicateTests
{
    [Fact]
    public void Check_WhenNodeIsReadyAndUncordoned_Passes()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenNodeIsNotReady_FailsWithNotReady()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1").NotReady());

        Assert.Equal(PluginStatus.Unresolvable("node not ready", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenNodeIsCordoned_FailsWithUnschedulable()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1").Cordoned());

        Assert.Equal(PluginStatus.Unresolvable("node unschedulable (cordoned)", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenPodToleratesTheCordonTaint_PassesOnACordonedNode()
    {
        var pod = A.Pod("pod").Tolerates("node.kubernetes.io/unschedulable", TolerationOperator.Exists, effect: TaintEffect.NoSchedule);
        var session = Feasibility.Open(pod, A.Node("n1").Cordoned());

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenPodToleratesTheCordonTaint_StillFailsOnANotReadyNode()
    {
        var pod = A.Pod("pod").Tolerates("node.kubernetes.io/unschedulable");
        var session = Feasibility.Open(pod, A.Node("n1").Cordoned().NotReady());

        Assert.StartsWith("node not ready", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void RunCycle_WhenOnlyUnusableNodesHaveRoom_PlacesOnTheUsableOne()
    {
        var cluster = new Cluster()
            .With(A.Node("a-down").Gpus(8).NotReady(), A.Node("b-cordoned").Gpus(8).Cordoned(), A.Node("c-ok").Gpus(8))
            .With(A.PodGroup("j0").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["j0-0@c-ok"], result.Binds());
    }
}
