using Kai.Scheduling.Framework;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Predicates;

public sealed class NodeSelectorPredicateTests
{
    [Fact]
    public void Check_WhenNodeHasEveryLabel_Passes()
    {
        var pod = A.Pod("pod").NodeSelector("gpu", "a100").NodeSelector("zone", "z1");
        var session = Feasibility.Open(pod, A.Node("n1").Label("gpu", "a100").Label("zone", "z1").Label("extra", "x"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenLabelIsMissing_FailsNamingTheSelector()
    {
        var session = Feasibility.Open(A.Pod("pod").NodeSelector("gpu", "a100"), A.Node("n1"));

        Assert.Equal(PluginStatus.Unresolvable("node selector gpu=a100 not matched", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenLabelHasAnotherValue_Fails()
    {
        var session = Feasibility.Open(A.Pod("pod").NodeSelector("gpu", "a100"), A.Node("n1").Label("gpu", "h100"));

        Assert.Equal(PluginStatus.Unresolvable("node selector gpu=a100 not matched", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }
}
