using Kai.Controllers.Observability;
using Kai.Controllers.Scheduling;

namespace Kai.Controllers.Tests.Observability;

/// <summary>The <c>Kai.Scheduler</c> meter after known cycles: names, units, tags and values, read with a MeterListener.</summary>
public sealed class SchedulerMetricsTests
{
    [Fact]
    public async Task RunCycleAsync_Always_PublishesKaisInstrumentsWithUnitsThatKeepKaisPrometheusNames()
    {
        using var scheduler = await Scenarios.SchedulerAsync(Scenarios.BindOne, SchedulerTelemetry.None);
        using var recorder = new MetricRecorder(scheduler.Meter);

        await scheduler.RunCycleAsync();

        Assert.Equal(KaiMetrics.MeterName, scheduler.Meter.Name);
        (string Name, string? Unit)[] expected =
        [
            (KaiMetrics.E2eSchedulingLatency, "ms"), (KaiMetrics.OpenSessionLatency, "ms"), (KaiMetrics.CloseSessionLatency, "ms"),
            (KaiMetrics.ActionSchedulingLatency, "ms"), (KaiMetrics.PluginSchedulingLatency, "ms"), (KaiMetrics.TaskSchedulingLatency, "ms"),
            (KaiMetrics.PodGroupsScheduledByAction, "{podgroup}"), (KaiMetrics.ScenariosSimulatedByAction, "{scenario}"),
            (KaiMetrics.PreemptionAttempts, "{attempt}"), (KaiMetrics.PodGroupEvictedPods, "{pod}"),
            (KaiMetrics.QueueFairShareCpu, "cores"), (KaiMetrics.QueueFairShareMemory, "gb"), (KaiMetrics.QueueFairShareGpu, "gpu"),
            (KaiMetrics.QueueAllocatedGpus, "gpus"), (KaiMetrics.QueueAllocatedCpu, "cores"), (KaiMetrics.QueueAllocatedMemory, "By"),
            (KaiMetrics.QueueDeservedGpus, "gpus"), (KaiMetrics.QueueQuotaCpu, "cores"), (KaiMetrics.QueueQuotaMemory, "By"), (KaiMetrics.QueueInfo, null),
        ];
        Assert.All(expected, e => Assert.Equal(e.Unit, recorder.Instruments[e.Name].Unit));
        Assert.All(recorder.Instruments.Keys, name => Assert.StartsWith("kai_", name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunCycleAsync_WhenAPodBindsThreeSecondsAfterItWasCreated_RecordsTheLatenciesCountsAndQueueFigures()
    {
        using var scheduler = await Scenarios.SchedulerAsync(Scenarios.BindOne, SchedulerTelemetry.None, wait: TimeSpan.FromSeconds(3));
        using var recorder = new MetricRecorder(scheduler.Meter);

        var outcome = await scheduler.RunCycleAsync();
        recorder.Collect();

        Assert.Equal(outcome.Timings.Total.TotalMilliseconds, Assert.Single(recorder.Of(KaiMetrics.E2eSchedulingLatency)).Value);
        Assert.Equal(outcome.Timings.OpenSession.TotalMilliseconds, Assert.Single(recorder.Of(KaiMetrics.OpenSessionLatency)).Value);
        Assert.Equal(["allocate", "consolidation", "reclaim", "preempt", "stalegangeviction"], recorder.Of(KaiMetrics.ActionSchedulingLatency).Select(m => m.Tags[KaiMetrics.ActionTag]));
        var proportion = Assert.Single(recorder.Of(KaiMetrics.PluginSchedulingLatency));
        Assert.Equal(("proportion", "OnSessionOpen"), (proportion.Tags[KaiMetrics.PluginTag], proportion.Tags[KaiMetrics.OnSessionTag]));
        Assert.Equal(3000, Assert.Single(recorder.Of(KaiMetrics.TaskSchedulingLatency)).Value);
        Assert.Equal(1, Assert.Single(recorder.Of(KaiMetrics.PodGroupsScheduledByAction), m => m.Tags[KaiMetrics.ActionTag] == "allocate").Value);
        Assert.Equal(2, Assert.Single(recorder.Of(KaiMetrics.PodGroupsConsideredByAction), m => m.Tags[KaiMetrics.ActionTag] == "allocate").Value);
        Assert.Equal(2, Assert.Single(recorder.Of(KaiMetrics.QueueAllocatedGpus), m => m.Tags[KaiMetrics.QueueNameTag] == "team").Value);
        Assert.Equal(8, Assert.Single(recorder.Of(KaiMetrics.QueueDeservedGpus), m => m.Tags[KaiMetrics.QueueNameTag] == "team").Value);
        Assert.Equal(-1, Assert.Single(recorder.Of(KaiMetrics.QueueQuotaCpu), m => m.Tags[KaiMetrics.QueueNameTag] == "team").Value);
        Assert.Equal(1, Assert.Single(recorder.Of(KaiMetrics.QueueInfo), m => m.Tags[KaiMetrics.QueueNameTag] == "team").Value);
        Assert.Empty(recorder.Of(KaiMetrics.PodGroupEvictedPods));
    }

    [Fact]
    public async Task RunCycleAsync_WhenPreemptEvictsTwoPods_CountsThemPerPodGroupAndTheAttempt()
    {
        using var scheduler = await Scenarios.SchedulerAsync(Scenarios.PreemptTwo, SchedulerTelemetry.None);
        using var recorder = new MetricRecorder(scheduler.Meter);

        await scheduler.RunCycleAsync();

        var evicted = recorder.Of(KaiMetrics.PodGroupEvictedPods);
        Assert.Equal(2, evicted.Sum(m => m.Value));
        Assert.All(evicted, m => Assert.Equal(
            new Dictionary<string, string?> { ["podgroup"] = "low", ["namespace"] = "default", ["uid"] = "low-uid", ["nodepool"] = "default", ["action"] = "preempt" },
            m.Tags));
        Assert.Equal(1, Assert.Single(recorder.Of(KaiMetrics.PreemptionAttempts)).Value);
        Assert.Equal(1, Assert.Single(recorder.Of(KaiMetrics.PodGroupsScheduledByAction), m => m.Tags[KaiMetrics.ActionTag] == "preempt").Value);
        Assert.True(Assert.Single(recorder.Of(KaiMetrics.ScenariosSimulatedByAction), m => m.Tags[KaiMetrics.ActionTag] == "preempt").Value >= 1);
    }

    [Fact]
    public async Task RunCycleAsync_WhenNobodyListens_RecordsNothingAndStillTimesThePhases()
    {
        using var scheduler = await Scenarios.SchedulerAsync(Scenarios.BindOne, SchedulerTelemetry.None);

        var outcome = await scheduler.RunCycleAsync();

        Assert.Equal(["proportion"], outcome.Timings.Plugins.Select(p => p.Plugin));
        Assert.Equal(5, outcome.Timings.Actions.Count);
        Assert.Equal(outcome.Timings.OpenSession + outcome.Timings.ActionsTotal + outcome.Timings.CloseSession, outcome.Timings.Total);
    }
}
