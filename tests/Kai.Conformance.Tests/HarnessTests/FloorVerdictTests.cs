using Kai.Conformance.Tests.Harness;

namespace Kai.Conformance.Tests.HarnessTests;

public sealed class FloorVerdictTests
{
    private static readonly ConformanceFloor Floor = new("", 2, ["f/a", "f/b"]);

    [Fact]
    public void Judge_WhenAListedCaseFailsAndAnotherStartsPassing_ReportsTheRegression()
    {
        var verdict = FloorVerdict.Judge(Floor, [Pass("f/a"), Fail("f/b", "b-0 Pending (want Running)"), Pass("f/c")]);

        Assert.Equal(["REGRESSION f/b: listed as passing, now fail: b-0 Pending (want Running)"], verdict.Problems);
        Assert.Equal(["f/c"], verdict.NewlyPassing);
    }

    [Fact]
    public void Judge_WhenFewerPassThanTheFloor_IsAProblem()
    {
        var verdict = FloorVerdict.Judge(Floor with { Passing = ["f/a"] }, [Pass("f/a"), Fail("f/b", "x")]);

        Assert.Equal(["1 cases pass, fewer than the floor of 2"], verdict.Problems);
    }

    [Fact]
    public void Judge_WhenAListedCaseNoLongerExists_IsAProblem()
    {
        var verdict = FloorVerdict.Judge(Floor, [Pass("f/a"), Pass("f/c")]);

        Assert.Equal(["REGRESSION f/b: listed as passing in conformance-floor.json, but there is no such case"], verdict.Problems);
    }

    [Fact]
    public void Judge_WhenMorePass_AdvisesRaisingTheFloorWithoutFailing()
    {
        var verdict = FloorVerdict.Judge(Floor, [Pass("f/a"), Pass("f/b"), Pass("f/c")]);

        Assert.Empty(verdict.Problems);
        Assert.Contains("3 cases pass, more than the floor of 2; 1 not yet listed as passing: f/c", verdict.RaiseAdvice, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_WhenExactlyTheListedCasesPass_HasNothingToSay()
    {
        var verdict = FloorVerdict.Judge(Floor, [Pass("f/a"), Pass("f/b"), Fail("f/c", "x")]);

        Assert.Empty(verdict.Problems);
        Assert.Null(verdict.RaiseAdvice);
    }

    [Fact]
    public void RaisedTo_NeverDropsAListedCaseOrLowersTheFloor()
    {
        var raised = Floor.RaisedTo([Pass("f/a"), Fail("f/b", "x"), Pass("f/c")]);

        Assert.Equal(["f/a", "f/b", "f/c"], raised.Passing);
        Assert.Equal(3, raised.Floor);
    }

    private static CaseResult Pass(string id) => new(id, CaseOutcome.Pass, string.Empty);

    private static CaseResult Fail(string id, string reason) => new(id, CaseOutcome.Fail, reason);
}
