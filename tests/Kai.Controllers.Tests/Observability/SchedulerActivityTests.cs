using System.Collections.Concurrent;
using System.Diagnostics;
using Kai.Controllers.Scheduling;
using Kai.Scheduling;

namespace Kai.Controllers.Tests.Observability;

/// <summary>The spans of a scheduler's cycle, read with an ActivityListener: the scheduler numbers its cycles.</summary>
public sealed class SchedulerActivityTests
{
    private const string TestSource = "Kai.Controllers.Tests.Activities";

    [Fact]
    public async Task RunCycleAsync_WhenSomeoneListens_TagsTheCycleWithItsNumberPendingGroupsAndDecisions()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var source = new ActivitySource(TestSource);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is SchedulerActivities.SourceName or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var scheduler = await Scenarios.SchedulerAsync(Scenarios.PreemptTwo, SchedulerTelemetry.None);

        ActivityTraceId trace;
        using (var test = source.StartActivity("test")!)
        {
            trace = test.TraceId;
            await scheduler.RunCycleAsync();
            await scheduler.RunCycleAsync();
        }

        // Other tests run cycles at the same time: only this test's trace counts.
        var mine = stopped.Where(a => a.TraceId == trace && a.Source.Name == SchedulerActivities.SourceName).ToList();
        var cycles = mine.Where(a => a.OperationName == SchedulerActivities.Cycle).ToList();
        Assert.Equal([1L, 2L], cycles.Select(c => c.GetTagItem(SchedulerActivities.CycleTag)));
        Assert.Equal(1, cycles[0].GetTagItem(SchedulerActivities.PendingPodGroupsTag));
        Assert.Equal(3, cycles[0].GetTagItem(SchedulerActivities.DecisionsTag));
        var preempt = mine.First(a => a.OperationName == SchedulerActivities.Action && (string?)a.GetTagItem(SchedulerActivities.ActionTag) == "preempt");
        Assert.Equal((1, 1), (preempt.GetTagItem(SchedulerActivities.PodGroupsConsideredTag), preempt.GetTagItem(SchedulerActivities.PodGroupsScheduledTag)));
        Assert.Equal(cycles[0].SpanId, preempt.ParentSpanId);
    }
}
