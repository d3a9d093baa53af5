
namespace Kai.Cli.Tests;

/// <summary>The same input and <c>--now</c> give the same report, byte for byte.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task SimulateJson_WhenTheSameInputRunsTwice_OutputIsByteIdentical()
    {
        string[] args = ["simulate", CliInputs.Quickstart, CliInputs.Consolidation, "--cycles", "3", "--now", CliInputs.Now, "-o", "json"];

        var first = await CliRun.RunAsync(args);
        var second = await CliRun.RunAsync(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task SimulateJson_WhenADirectoryRunsTwice_OutputIsByteIdentical()
    {
        string[] args = ["simulate", Path.Combine(Repository.ScenariosDirectory, "cli"), "--cycles", "2", "--now", CliInputs.Now, "-o", "json"];

        var first = await CliRun.RunAsync(args);
        var second = await CliRun.RunAsync(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task SimulateTable_WhenTheSameInputRunsTwice_OutputIsIdentical()
    {
        string[] args = ["simulate", CliInputs.Quickstart, "--now", CliInputs.Now];

        var first = await CliRun.RunAsync(args);
        var second = await CliRun.RunAsync(args);

        Assert.Equal(first.Output, second.Output);
    }
}
