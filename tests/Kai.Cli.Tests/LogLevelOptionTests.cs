namespace Kai.Cli.Tests;

/// <summary><c>--log-level</c>: the scheduler's log on stderr, one line per entry, never in the report.</summary>
public sealed class LogLevelOptionTests
{
    [Fact]
    public async Task Simulate_WithDebug_LogsEachDecisionOnStderrAndPrintsTheSameReport()
    {
        var quiet = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now);
        var debug = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--log-level", "debug");

        Assert.Equal(quiet.Output, debug.Output);
        Assert.Equal(quiet.ExitCode, debug.ExitCode);
        var lines = debug.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("info: Kai.Controllers.Scheduling.Scheduler[1001] => Cycle 1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("info: Kai.Controllers.Scheduling.Scheduler[1002] => Cycle 1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dbug: Kai.Controllers.Scheduling.Scheduler[1003] => Cycle 1 => PodGroup team-a/llm-finetune Queue team-a allocate: bind pod team-a/llm-finetune-0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_ByDefault_LogsNothingBelowErrors()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now);

        Assert.DoesNotContain("info:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WithAnUnknownLevel_IsAUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--log-level", "loud");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--log-level 'loud' is not a level", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_WithInformation_LogsTheTimedCycle()
    {
        var run = await CliRun.RunAsync("bench", "--nodes", "4", "--pending-pods", "8", "--no-warmup", "--log-level", "information");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("info: Kai.Controllers.Scheduling.Scheduler[1002] => Cycle 1 Cycle 1 completed in", run.Error, StringComparison.Ordinal);
    }
}
