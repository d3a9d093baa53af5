using Kai.Cli.Rendering;

namespace Kai.Cli.Tests;

/// <summary>
/// The table form of <c>kai simulate</c> fits the terminal's width (100 columns when the output is not a terminal) and
/// never breaks a name: reasons wrap between words, and when names leave no room for them each row becomes a block.
/// </summary>
public sealed class TableWidthTests
{
    [Fact]
    public async Task SimulateTable_WhenRunOnTheQuickstart_NoLineIsWiderThan100Characters()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now);

        Assert.Equal(0, run.ExitCode);
        AssertWithin(100, run.Output, []);
        Assert.Contains("team-a/llm-finetune", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateTable_WhenNamesAreLongerThanACell_EveryNameStaysWholeOnOneLine()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.LongNames, "--now", CliInputs.Now, "-o", "json");
        var report = run.Report;
        var shown = report.PodGroups.Select(g => $"{g.Namespace}/{g.Name}").Concat(report.Queues.Select(q => q.Name)).ToList();
        var names = shown.Concat(report.Pods.Select(p => $"{p.Namespace}/{p.Name}")).ToList();

        var table = await CliRun.RunAsync("simulate", CliInputs.LongNames, "--now", CliInputs.Now);

        Assert.Equal(0, table.ExitCode);
        var lines = table.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(shown, name => Assert.Contains(lines, l => l.Contains(name, StringComparison.Ordinal)));
        AssertWithin(100, table.Output, names);
        Assert.Contains("Status: Pending 0/1", table.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(100)]
    [InlineData(160)]
    public async Task Write_WhenGivenAWidth_UsesItAndKeepsNamesWhole(int width)
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "-o", "json");
        using var output = new StringWriter();

        ReportTable.Write(run.Report, output, width);

        var names = run.Report.PodGroups.Select(g => $"{g.Namespace}/{g.Name}").ToList();
        AssertWithin(width, output.ToString(), names);
        Assert.All(names, name => Assert.Contains(name, output.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Write_WhenTheTerminalIsWide_PutsAReasonOnFewerLines()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "-o", "json");
        using var narrow = new StringWriter();
        using var wide = new StringWriter();

        ReportTable.Write(run.Report, narrow, 100);
        ReportTable.Write(run.Report, wide, 200);

        Assert.True(wide.ToString().Split('\n').Length < narrow.ToString().Split('\n').Length);
    }

    [Fact]
    public async Task SimulateTable_WhenRun_DiagnosticsGoToStandardErrorNotTheTable()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.LongNames, "--now", CliInputs.Now);

        Assert.DoesNotContain("default node pool", run.Output, StringComparison.Ordinal);
        Assert.Contains("info: the scenario has no nodes; using the default node pool", run.Error, StringComparison.Ordinal);
    }

    // Every line fits, except one that holds a single word (a name, a label) longer than the width: words are never broken.
    private static void AssertWithin(int width, string output, IReadOnlyList<string> names)
    {
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            var singleWord = !line.Trim().Contains(' ', StringComparison.Ordinal);
            Assert.True(line.Length <= width || singleWord, $"a line is {line.Length} characters wide (width {width}):\n{line}");
        }

        Assert.All(names.Where(n => n.Length <= width - 4), name => Assert.Contains(name, output, StringComparison.Ordinal));
    }
}
