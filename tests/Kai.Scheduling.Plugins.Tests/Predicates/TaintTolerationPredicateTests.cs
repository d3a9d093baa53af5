using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Predicates;

public sealed class TaintTolerationPredicateTests
{
    [Fact]
    public void Check_WhenNoScheduleTaintIsNotTolerated_FailsNamingTheTaint()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1").Taint("dedicated", "team-b"));

        Assert.Equal(PluginStatus.Unresolvable("untolerated taint dedicated=team-b", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenNoExecuteTaintIsNotTolerated_Fails()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1").Taint("maintenance", effect: TaintEffect.NoExecute));

        Assert.Equal(PluginStatus.Unresolvable("untolerated taint maintenance", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTaintIsPreferNoSchedule_Passes()
    {
        var session = Feasibility.Open(A.Pod("pod"), A.Node("n1").Taint("spot", "true", TaintEffect.PreferNoSchedule));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTolerationExistsForTheKey_PassesWhateverTheValue()
    {
        var pod = A.Pod("pod").Tolerates("dedicated", TolerationOperator.Exists);
        var session = Feasibility.Open(pod, A.Node("n1").Taint("dedicated", "team-b"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTolerationEqualsKeyAndValue_Passes()
    {
        var pod = A.Pod("pod").Tolerates("dedicated", TolerationOperator.Equal, "team-b");
        var session = Feasibility.Open(pod, A.Node("n1").Taint("dedicated", "team-b"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTolerationEqualsAnotherValue_Fails()
    {
        var pod = A.Pod("pod").Tolerates("dedicated", TolerationOperator.Equal, "team-a");
        var session = Feasibility.Open(pod, A.Node("n1").Taint("dedicated", "team-b"));

        Assert.StartsWith("untolerated taint", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void Check_WhenTolerationEqualsWithoutValueAndTaintHasNoValue_Passes()
    {
        var pod = A.Pod("pod").Tolerates("gpu-only", TolerationOperator.Equal);
        var session = Feasibility.Open(pod, A.Node("n1").Taint("gpu-only"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTolerationHasEmptyKeyAndExists_ToleratesEveryTaint()
    {
        var pod = A.Pod("pod").Tolerates(null, TolerationOperator.Exists);
        var node = A.Node("n1").Taint("a", "1").Taint("b", effect: TaintEffect.NoExecute);
        var session = Feasibility.Open(pod, node);

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenTolerationIsForAnotherEffect_Fails()
    {
        var pod = A.Pod("pod").Tolerates("dedicated", TolerationOperator.Exists, effect: TaintEffect.NoExecute);
        var session = Feasibility.Open(pod, A.Node("n1").Taint("dedicated", "team-b", TaintEffect.NoSchedule));

        Assert.StartsWith("untolerated taint", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void Check_WhenOneOfTwoTaintsIsNotTolerated_FailsNamingIt()
    {
        var pod = A.Pod("pod").Tolerates("a");
        var session = Feasibility.Open(pod, A.Node("n1").Taint("a").Taint("b"));

        Assert.Equal(PluginStatus.Unresolvable("untolerated taint b", "predicates"), Feasibility.Check(session, "pod", "n1"));
    }
}
