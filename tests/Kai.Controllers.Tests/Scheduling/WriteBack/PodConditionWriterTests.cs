using k8s.Models;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class PodConditionWriterTests
{
    [Fact]
    public async Task MarkUnschedulableAsync_SetsPodScheduledFalseWithTheMessageAndRecordsAnEventOnlyWhenTheMessageChanged()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();
        var writer = new PodConditionWriter(cluster, new SchedulingEventWriter(cluster), clock);
        var pod = new PodKey("team-a", "p0");

        await writer.MarkUnschedulableAsync(pod, "0/1 nodes fit", default);
        await writer.MarkUnschedulableAsync(pod, "0/1 nodes fit", default);
        await writer.MarkUnschedulableAsync(pod, "queue q is at its limit", default);

        var condition = Assert.Single((await cluster.GetAsync<V1Pod>("team-a", "p0"))!.Status.Conditions, c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable", "queue q is at its limit"), (condition.Status, condition.Reason, condition.Message));
        var events = (await WriteBackCluster.EventsAsync(cluster)).Where(e => e.Reason == "Unschedulable").ToList();
        Assert.Equal(2, events.Sum(e => e.Count ?? 1));
    }
}
