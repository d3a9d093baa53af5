using Kai.Scenarios.Tests.Harness;

namespace Kai.Scenarios.Tests.Cli;

/// <summary>
/// Exit codes of <c>kai simulate</c> for a wrong command line (2), for input it cannot run at all (1) and for input
/// with problems that still ran (3); each error message names what is wrong.
/// </summary>
public sealed class CommandLineErrorTests
{
    [Fact]
    public async Task Simulate_WhenCyclesIsZero_RefusesWithAMessageAndNoReport()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--cycles", "0", "--now", CliInputs.Now, "-o", "json");

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("\"cycles\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("--cycles must be 1 or more.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenCyclesIsZero_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--cycles", "0", "--now", CliInputs.Now);

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Simulate_WhenOutputFormatIsUnknown_ExitsWithUsageErrorNamingTheFormats()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "-o", "xml");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("Kai.Cli", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenOptionIsMisspelt_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--cycle", "3", "-o", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--cycle", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenAnActionIsUnknown_ExitsWithUsageErrorListingTheActions()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--actions", "allocate,bogus");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("error: --actions: unknown action 'bogus'; actions are allocate, consolidation, reclaim, preempt, stalegangeviction.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenAnActionIsListedTwice_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--actions", "allocate,allocate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'allocate' is listed 2 times", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenIntervalIsNegative_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--interval", "-5s");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--interval '-5s' is not a duration", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenNodePoolIsInvalid_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--node-pool", "count=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--node-pool: 'count=x' is not valid", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenTheOnlyPathIsMissing_ExitsCouldNotRunNamingThePath()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Missing, "--now", CliInputs.Now, "-o", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains($"{CliInputs.Missing} (document 0): no such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Contains("error: no usable objects were loaded; nothing to simulate.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenOneOfTwoPathsIsMissing_RunsAndExitsWithWarnings()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, CliInputs.Missing, "--now", CliInputs.Now, "-o", "json");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(6, run.Report.Decisions.Count);
    }

    [Fact]
    public async Task Simulate_WhenConfigNamesAnUnknownPlugin_ExitsCouldNotRunNamingThePlugin()
    {
        var config = CliInputs.WriteConfig("unknown-plugin.yaml", "tiers:\n  - plugins:\n      - name: proportion\n      - name: magic\n");

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains($"error: {config}:4: unknown plugin 'magic'; known plugins:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenConfigNamesAnUnknownAction_ExitsCouldNotRunNamingTheAction()
    {
        var config = CliInputs.WriteConfig("unknown-action.yaml", "actions: \"allocate, teleport\"\n");

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: {config}:1: actions: unknown action 'teleport'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenConfigFileIsMissing_ExitsCouldNotRunNamingTheFile()
    {
        var config = Path.Combine(Path.GetDirectoryName(CliInputs.Missing)!, "config.yaml");

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: {config}: cannot read the configuration file", run.Error, StringComparison.Ordinal);
    }
}
