using System.Text.Json;

namespace Kai.Cli.Tests;

/// <summary>The bench prints the last cycle's fairness outcome, in JSON and in text.</summary>
public sealed class BenchFairnessOutputTests
{
    [Fact]
    public async Task Bench_AsJson_HasTheQueuesBelowFairShareAndWhatTheyLack()
    {
        var run = await CliRun.RunAsync("bench", "--nodes", "6", "--pods", "200", "--pending-pods", "40", "--cycles", "2", "--no-warmup", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var queues = json.RootElement.GetProperty("queuesBelowFairShare").GetInt32();
        var gpus = json.RootElement.GetProperty("gpusBelowFairShare").GetDouble();
        Assert.True(queues >= 0 && gpus >= 0, $"{queues} queues, {gpus} GPUs");
        Assert.Equal(queues == 0, gpus == 0);
    }

    [Fact]
    public async Task Bench_AsText_SaysHowManyLeafQueuesAreBelowTheirFairShare()
    {
        var run = await CliRun.RunAsync("bench", "--nodes", "4", "--pending-pods", "8", "--no-warmup");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("leaf queues with pending GPU requests below their GPU fair share, lacking", run.Output, StringComparison.Ordinal);
    }
}
