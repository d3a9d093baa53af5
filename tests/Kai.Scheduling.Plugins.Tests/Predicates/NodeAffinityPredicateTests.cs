using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Predicates;

/// <summary>Required node affinity: terms are ORed, requirements within a term ANDed (Kubernetes semantics).</summary>
public sealed class NodeAffinityPredicateTests
{
    private static NodeBuilder Labelled => A.Node("n1").Label("gpu", "a100").Label("cores", "64");

    [Theory]
    [InlineData(SelectorOperator.In, "gpu", new[] { "h100", "a100" }, true)]
    [InlineData(SelectorOperator.In, "gpu", new[] { "h100" }, false)]
    [InlineData(SelectorOperator.In, "missing", new[] { "a100" }, false)]
    [InlineData(SelectorOperator.NotIn, "gpu", new[] { "h100" }, true)]
    [InlineData(SelectorOperator.NotIn, "gpu", new[] { "a100" }, false)]
    [InlineData(SelectorOperator.NotIn, "missing", new[] { "a100" }, true)]
    [InlineData(SelectorOperator.Exists, "gpu", new string[0], true)]
    [InlineData(SelectorOperator.Exists, "missing", new string[0], false)]
    [InlineData(SelectorOperator.DoesNotExist, "missing", new string[0], true)]
    [InlineData(SelectorOperator.DoesNotExist, "gpu", new string[0], false)]
    [InlineData(SelectorOperator.Gt, "cores", new[] { "32" }, true)]
    [InlineData(SelectorOperator.Gt, "cores", new[] { "64" }, false)]
    [InlineData(SelectorOperator.Gt, "gpu", new[] { "1" }, false)]
    [InlineData(SelectorOperator.Lt, "cores", new[] { "128" }, true)]
    [InlineData(SelectorOperator.Lt, "cores", new[] { "64" }, false)]
    [InlineData(SelectorOperator.Lt, "missing", new[] { "128" }, false)]
    public void Check_WithOneExpression_MatchesAsKubernetesDoes(SelectorOperator op, string key, string[] values, bool matches)
    {
        var pod = A.Pod("pod").Affinity(Term(new NodeSelectorRequirement(key, op, values)));
        var session = Feasibility.Open(pod, Labelled);

        var failure = Feasibility.Check(session, "pod", "n1");

        Assert.Equal(matches ? PluginStatus.Success : PluginStatus.Unresolvable("required node affinity not matched", "predicates"), failure);
    }

    [Fact]
    public void Check_WhenMatchFieldsNamesTheNode_Passes()
    {
        var pod = A.Pod("pod").Affinity(new NodeSelectorTerm([], [new NodeSelectorRequirement("metadata.name", SelectorOperator.In, ["n1"])]));
        var session = Feasibility.Open(pod, A.Node("n1"), A.Node("n2"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
        Assert.StartsWith("required node affinity not matched", Feasibility.Check(session, "pod", "n2").Reason);
    }

    [Fact]
    public void Check_WhenAnyTermMatches_Passes()
    {
        var pod = A.Pod("pod").Affinity(
            Term(new NodeSelectorRequirement("gpu", SelectorOperator.In, ["h100"])),
            Term(new NodeSelectorRequirement("cores", SelectorOperator.Gt, ["8"])));
        var session = Feasibility.Open(pod, Labelled);

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenOneRequirementOfATermFails_TheTermFails()
    {
        var pod = A.Pod("pod").Affinity(Term(
            new NodeSelectorRequirement("gpu", SelectorOperator.In, ["a100"]),
            new NodeSelectorRequirement("cores", SelectorOperator.Gt, ["100"])));
        var session = Feasibility.Open(pod, Labelled);

        Assert.StartsWith("required node affinity not matched", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void Check_WhenTheOnlyTermIsEmpty_MatchesNoNode()
    {
        var pod = A.Pod("pod").Affinity(new NodeSelectorTerm([], []));
        var session = Feasibility.Open(pod, Labelled);

        Assert.StartsWith("required node affinity not matched", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void Check_WhenAnEmptyTermIsOredWithAMatchingTerm_Passes()
    {
        var pod = A.Pod("pod").Affinity(new NodeSelectorTerm([], []), Term(new NodeSelectorRequirement("gpu", SelectorOperator.Exists, [])));
        var session = Feasibility.Open(pod, Labelled);

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    private static NodeSelectorTerm Term(params NodeSelectorRequirement[] expressions) => new(expressions, []);
}
