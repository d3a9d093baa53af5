using Kai.Scenarios.Tests.Harness;

namespace Kai.Scenarios.Tests.Cli;

/// <summary>The table form of <c>kai simulate</c> fits a 100-column terminal, whatever the names.</summary>
public sealed class TableWidthTests
{
    [Fact]
    public async Task SimulateTable_WhenRunOnTheQuickstart_NoLineIsWiderThan100Characters()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now);

        Assert.Equal(0, run.ExitCode);
        AssertWithin100Columns(run.Output);
        Assert.Contains("team-a/llm-finetune", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateTable_WhenNamesAreLongerThanACell_NoLineIsWiderThan100Characters()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.LongNames, "--now", CliInputs.Now);

        Assert.Equal(0, run.ExitCode);
        AssertWithin100Columns(run.Output);
        Assert.Contains("Pending 0/1", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateTable_WhenRun_DiagnosticsGoToStandardErrorNotTheTable()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.LongNames, "--now", CliInputs.Now);

        Assert.DoesNotContain("default node pool", run.Output, StringComparison.Ordinal);
        Assert.Contains("info: the scenario has no nodes; using the default node pool", run.Error, StringComparison.Ordinal);
    }

    private static void AssertWithin100Columns(string output)
    {
        var lines = output.Split('\n');
        var widest = lines.MaxBy(l => l.TrimEnd('\r').Length)!.TrimEnd('\r');
        Assert.True(widest.Length <= 100, $"a line is {widest.Length} characters wide:\n{widest}");
    }
}
