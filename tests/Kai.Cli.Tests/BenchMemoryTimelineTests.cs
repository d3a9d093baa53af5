using System.Text.Json;

namespace Kai.Cli.Tests;

/// <summary>The bench's JSON says the process's memory after each phase, so that the phase in which the peak working set rose can be found.</summary>
public sealed class BenchMemoryTimelineTests
{
    [Fact]
    public async Task Bench_AsJson_HasTheMemoryAfterEachPhaseInOrder()
    {
        var run = await CliRun.RunAsync("bench", "--nodes", "6", "--pods", "200", "--pending-pods", "40", "--cycles", "2", "--churn", "0.02", "--no-warmup", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var marks = json.RootElement.GetProperty("memoryTimeline").EnumerateArray().ToList();
        Assert.Equal(
            ["start", "load", "cacheFill", "components", "collected", "cycle 1", "status 1", "binder 2", "kubelet 2", "churn 2", "cycle 2", "status 2", "end"],
            marks.Select(m => m.GetProperty("phase").GetString()));
        // Linux reports the peak and the current working set from different counters: no order between them is asserted.
        Assert.All(marks, m => Assert.True(m.GetProperty("workingSetMb").GetDouble() > 0 && m.GetProperty("peakWorkingSetMb").GetDouble() > 0 && m.GetProperty("heapMb").GetDouble() > 0, m.ToString()));
    }
}
