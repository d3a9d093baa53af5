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

        // Collections and pauses are counted since the process started: the difference between two marks is the phase's.
        // Every collection counts in generation 0's count, one of generation 1 or 2 in generation 1's too, and so on.
        Assert.All(marks, m => Assert.True(
            m.GetProperty("gen0Collections").GetInt32() >= m.GetProperty("gen1Collections").GetInt32() && m.GetProperty("gen1Collections").GetInt32() >= m.GetProperty("gen2Collections").GetInt32(),
            m.ToString()));
        foreach (var (before, after) in marks.Zip(marks.Skip(1)))
        {
            foreach (var counter in (string[])["gen0Collections", "gen1Collections", "gen2Collections", "gcPauseMs"])
            {
                Assert.True(after.GetProperty(counter).GetDouble() >= before.GetProperty(counter).GetDouble(), $"{counter}: {before} then {after}");
            }
        }

        // The bench collects everything once before the first cycle.
        var collected = marks.FindIndex(m => m.GetProperty("phase").GetString() == "collected");
        // (Not the last collection's generation: tests run in parallel in this process, and any small collection between
        // the bench's full one and the mark would be the last.)
        Assert.True(marks[collected].GetProperty("gen2Collections").GetInt32() > marks[collected - 1].GetProperty("gen2Collections").GetInt32());
    }
}
