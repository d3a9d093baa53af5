
namespace Kai.Cli.Tests;

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
        Assert.Contains("--cycles 0 is out of range; give a whole number from 1 to 100000.", run.Error, StringComparison.Ordinal);
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
        var run = await CliRun.RunAsync("simulate", CliInputs.Missing, "--now", CliInputs.Now);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains($"{CliInputs.Missing} (document 0): no such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Contains("error: no usable objects were loaded; nothing to simulate.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateJson_WhenNothingCanBeLoaded_StillPrintsAReportWithTheErrors()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Missing, "--now", CliInputs.Now, "-o", "json");

        Assert.Equal(1, run.ExitCode);
        var report = run.Report;
        Assert.Equal((0, DateTimeOffset.Parse(CliInputs.Now, System.Globalization.CultureInfo.InvariantCulture)), (report.Cycles, report.Start));
        Assert.Empty(report.Pods);
        Assert.Equal(
            [("error", "no such file or directory; give a manifest file (.yaml, .yml, .json) or a directory that contains them"), ("error", "no usable objects were loaded; nothing to simulate.")],
            report.Diagnostics.Select(d => (d.Severity, d.Message)));
        Assert.Equal(CliInputs.Missing, report.Diagnostics[0].Source);
    }

    [Fact]
    public async Task SimulateJson_WhenTheConfigurationIsInvalid_StillPrintsAReportWithTheErrors()
    {
        var config = Path.Combine(Repository.ScenariosDirectory, "bad-input", "invalid-actions.config.yaml");

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--config", config, "--now", CliInputs.Now, "-o", "json");

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Report.Diagnostics);
        Assert.Equal("error", error.Severity);
        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cycles", "abc", "error: --cycles 'abc' is not a number; give a whole number from 1 to 100000, e.g. --cycles 1.")]
    [InlineData("--cycles", "1.5", "error: --cycles '1.5' is not a whole number; give a whole number from 1 to 100000, e.g. --cycles 1.")]
    [InlineData("--cycles", "99999999999", "error: --cycles 99999999999 is out of range; give a whole number from 1 to 100000.")]
    public async Task Simulate_WhenANumericOptionIsNotANumberInRange_ExitsWithUsageErrorAndNoStackTrace(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, option, value, "--now", CliInputs.Now);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--nodes", "ten", "error: --nodes 'ten' is not a number; give a whole number from 1 to 100000, e.g. --nodes 1.")]
    [InlineData("--nodes", "99999999999", "error: --nodes 99999999999 is out of range; give a whole number from 1 to 100000.")]
    [InlineData("--running-fill", "2", "error: --running-fill 2 is out of range; give a number from 0 to 1.")]
    [InlineData("--running-fill", "lots", "error: --running-fill 'lots' is not a number; give a number from 0 to 1, e.g. --running-fill 0.5.")]
    [InlineData("--seed", "x", "error: --seed 'x' is not a number; give a whole number 0 or more, e.g. --seed 1.")]
    public async Task Bench_WhenANumericOptionIsNotANumberInRange_ExitsWithUsageErrorAndNoStackTrace(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("bench", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
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

    [Fact]
    public async Task Bench_WhenNodeChurnIsGivenWithThroughApi_ExitsWithUsageErrorNamingTheOption()
    {
        var run = await CliRun.RunAsync("bench", "--through-api", "--node-churn", "0.1", "--nodes", "2", "--pending-pods", "2", "--no-warmup");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("error: --node-churn applies to the cycle bench only; --through-api measures one burst of pod creations and binds.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_WhenClientsIsGivenWithoutThroughApi_ExitsWithUsageErrorNamingTheOption()
    {
        var run = await CliRun.RunAsync("bench", "--clients", "4", "--nodes", "2", "--pending-pods", "2", "--no-warmup");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --clients applies with --through-api only.", run.Error, StringComparison.Ordinal);
    }
}
