using k8s.Models;
using Kai.Controllers.Observability;
using Kai.Controllers.Scheduling;
using Microsoft.Extensions.Logging;

namespace Kai.Controllers.Tests.Observability;

/// <summary>The scheduler's log of a cycle, read as structured entries: event ids, levels, values and scopes.</summary>
public sealed class SchedulerLogTests
{
    [Fact]
    public async Task RunCycleAsync_AtDebug_LogsStartEndDecisionsAndPendingGroupsWithCyclePodGroupAndQueueInScope()
    {
        var (entries, outcome) = await RunAsync(Scenarios.BindOne, LogLevel.Debug);

        var started = Assert.Single(entries, e => e.EventId.Id == KaiEventIds.CycleStarted);
        Assert.Equal((LogLevel.Information, "Kai.Controllers.Scheduling.Scheduler"), (started.Level, started.Category));
        Assert.Equal(1L, started.State["Cycle"]);
        Assert.Equal(1, started.State["Nodes"]);
        var completed = Assert.Single(entries, e => e.EventId.Id == KaiEventIds.CycleCompleted);
        Assert.Equal(LogLevel.Information, completed.Level);
        Assert.Equal((1, 1), ((int)completed.State["Bound"]!, (int)completed.State["Pending"]!));
        Assert.Equal(outcome.Timings.Total.TotalMilliseconds, completed.State["TotalMs"]);
        Assert.Equal(1L, completed.Scopes["Cycle"]);

        var decision = Assert.Single(entries, e => e.EventId.Id == KaiEventIds.Decision);
        Assert.Equal(LogLevel.Debug, decision.Level);
        Assert.Equal(("allocate", "bind", "default/solo-0", "node-a"), (decision.State["Action"], decision.State["Kind"], decision.State["Pod"], decision.State["Node"]));
        Assert.Equal((1L, "default/solo", "team"), (decision.Scopes["Cycle"], decision.Scopes["PodGroup"], decision.Scopes["Queue"]));
        var pending = Assert.Single(entries, e => e.EventId.Id == KaiEventIds.PodGroupPending);
        Assert.Equal(("default/huge", "team"), (pending.Scopes["PodGroup"], pending.Scopes["Queue"]));
        Assert.Equal(5, entries.Count(e => e.EventId.Id == KaiEventIds.ActionCompleted));
    }

    [Fact]
    public async Task RunCycleAsync_AtInformation_LogsOnlyTheCyclesStartAndEnd()
    {
        var (entries, _) = await RunAsync(Scenarios.BindOne, LogLevel.Information);

        Assert.Equal([KaiEventIds.CycleStarted, KaiEventIds.CycleCompleted], entries.Select(e => e.EventId.Id));
    }

    [Fact]
    public async Task RunCycleAsync_WhenAPodCannotBeFullyRead_WarnsOnceWithTheObjectAndWhatIsWrong()
    {
        // The manifest loader would refuse the annotation; a client can still write it through the API.
        var odd = TestCluster.Pod("odd", ns: "default");
        odd.Metadata.Annotations = new Dictionary<string, string> { ["pod-group-name"] = "solo", ["gpu-fraction"] = "lots" };
        odd.Spec.SchedulerName = "kai-scheduler";

        var (entries, _) = await RunAsync(Scenarios.BindOne, LogLevel.Warning, cycles: 2, odd);

        var issue = Assert.Single(entries);
        Assert.Equal((KaiEventIds.MappingIssue, LogLevel.Warning, "Kai.Controllers.Cache.SchedulerCache"), (issue.EventId.Id, issue.Level, issue.Category));
        Assert.Equal("Pod default/odd", issue.State["Object"]);
        Assert.Contains("gpu-fraction", issue.Message, StringComparison.Ordinal);
    }

    private static async Task<(List<RecordingLoggerProvider.Entry> Entries, CycleOutcome Last)> RunAsync(string manifests, LogLevel minimum, int cycles = 1, V1Pod? extra = null)
    {
        using var provider = new RecordingLoggerProvider();
        using var loggers = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = minimum });
        var (scheduler, cluster) = await Scenarios.StartAsync(manifests, new SchedulerTelemetry { LoggerFactory = loggers }, wait: TimeSpan.FromSeconds(1));
        using var disposing = scheduler;
        if (extra is not null)
        {
            await cluster.CreateAsync(extra);
        }

        CycleOutcome? last = null;
        for (var i = 0; i < cycles; i++)
        {
            last = await scheduler.RunCycleAsync();
        }

        return ([.. provider.Entries], last!);
    }
}
