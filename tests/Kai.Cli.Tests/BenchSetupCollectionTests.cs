using System.Text.Json;

namespace Kai.Cli.Tests;

/// <summary>`--no-setup-collection` leaves the setup's young collection to the first cycle and changes no decision.</summary>
public sealed class BenchSetupCollectionTests
{
    [Fact]
    public async Task Bench_WithNoSetupCollection_ReportsNoSetupPauseAndDecidesTheSame()
    {
        string[] common = ["bench", "--nodes", "6", "--pending-pods", "40", "--running-fill", "1", "--no-warmup", "--output", "json"];

        var collected = await CliRun.RunAsync(common);
        var left = await CliRun.RunAsync([.. common, "--no-setup-collection"]);

        Assert.Equal(0, collected.ExitCode);
        Assert.Equal(0, left.ExitCode);
        using var withCollection = JsonDocument.Parse(collected.Output);
        using var withoutCollection = JsonDocument.Parse(left.Output);
        Assert.Equal(0, withoutCollection.RootElement.GetProperty("setupCardCollectionMs").GetDouble());
        Assert.True(withCollection.RootElement.GetProperty("setupCardCollectionMs").GetDouble() > 0);
        Assert.Equal(withCollection.RootElement.GetProperty("decisionDigest").GetString(), withoutCollection.RootElement.GetProperty("decisionDigest").GetString());
    }

    [Fact]
    public async Task Bench_WithNoSetupCollectionThroughTheApi_IsRefusedAsNotApplying()
    {
        var run = await CliRun.RunAsync("bench", "--through-api", "--no-setup-collection");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--no-setup-collection applies to the cycle bench only", run.Error, StringComparison.Ordinal);
    }
}
