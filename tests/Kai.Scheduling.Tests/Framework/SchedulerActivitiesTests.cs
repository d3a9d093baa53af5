using System.Collections.Concurrent;
using System.Diagnostics;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

public sealed class SchedulerActivitiesTests
{
    private const string TestSource = "Kai.Scheduling.Tests.Activities";

    [Fact]
    public void RunCycle_WhenSomeoneListens_RecordsACycleActivityWithOneChildPerAction()
    {
        var cluster = new Cluster().With(A.Node("n1").Gpus(8)).With(A.PodGroup("j0").Members(2, gpu: 1));
        var stopped = new ConcurrentQueue<Activity>();
        using var source = new ActivitySource(TestSource);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is SchedulerActivities.SourceName or TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId trace;
        using (var test = source.StartActivity("test")!)
        {
            trace = test.TraceId;
            cluster.Run();
        }

        // Other tests run cycles at the same time: only this test's trace counts.
        var mine = stopped.Where(a => a.TraceId == trace && a.Source.Name == SchedulerActivities.SourceName).ToList();
        var cycle = Assert.Single(mine, a => a.OperationName == SchedulerActivities.Cycle);
        Assert.Equal(2, cycle.GetTagItem(SchedulerActivities.DecisionsTag));
        Assert.Equal(1, cycle.GetTagItem(SchedulerActivities.NodesTag));
        var actions = mine.Where(a => a.OperationName == SchedulerActivities.Action).ToList(); // in the order they stopped
        Assert.Equal(["allocate", "consolidation", "reclaim", "preempt", "stalegangeviction"], actions.Select(a => a.GetTagItem(SchedulerActivities.ActionTag)));
        Assert.All(actions, a => Assert.Equal(cycle.SpanId, a.ParentSpanId));
        Assert.Equal(2, actions[0].GetTagItem(SchedulerActivities.DecisionsTag));
    }
}
