using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kai.Cli.Tests;

/// <summary><c>--now</c> sets the simulated time of the first cycle and changes nothing but the times reported.</summary>
public sealed class NowOptionTests
{
    [Fact]
    public async Task SimulateJson_WhenNowDiffers_OnlyStartAndEndDiffer()
    {
        var early = await RunAsync("2026-01-01T00:00:00Z");
        var late = await RunAsync("2030-06-15T12:34:56Z");

        Assert.Equal("2026-01-01T00:00:00+00:00", early["start"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:01:00+00:00", early["end"]!.GetValue<string>());
        Assert.Equal("2030-06-15T12:34:56+00:00", late["start"]!.GetValue<string>());
        Assert.Equal("2030-06-15T12:35:56+00:00", late["end"]!.GetValue<string>());
        Assert.Equal(WithoutTimes(early), WithoutTimes(late));
    }

    [Fact]
    public async Task SimulateJson_WhenNowHasAnOffset_StartIsTheSameInstantInUtc()
    {
        var report = await RunAsync("2026-01-01T02:00:00+02:00");

        Assert.Equal("2026-01-01T00:00:00+00:00", report["start"]!.GetValue<string>());
    }

    [Fact]
    public async Task Simulate_WhenNowIsNotATime_ExitsWithUsageErrorNamingTheValue()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", "yesterday");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Contains("--now 'yesterday' is not an RFC 3339 time", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenNowIsAnAmbiguousLocalDate_ExitsWithUsageError()
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", "1/2/2026");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not an RFC 3339 time", run.Error, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> RunAsync(string now)
    {
        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, CliInputs.Consolidation, "--cycles", "3", "--now", now, "-o", "json");
        Assert.Equal(0, run.ExitCode);
        return JsonNode.Parse(run.Output)!;
    }

    private static string WithoutTimes(JsonNode report)
    {
        var copy = report.DeepClone().AsObject();
        copy.Remove("start");
        copy.Remove("end");
        return copy.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
