using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class SchedulingEventWriterTests
{
    [Fact]
    public async Task EvictedAsync_RecordsAnEvictEventOnTheGroupNamingTheActionAndThePreemptor()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();

        await new SchedulingEventWriter(cluster).EvictedAsync(
            WriteBackCluster.Decision(DecisionKind.Evict, "p0", action: ActionKind.Reclaim, preemptor: new PodGroupKey("team-b", "big")), default);

        var evict = Assert.Single(await WriteBackCluster.EventsAsync(cluster));
        Assert.Equal(("Evict", "Normal", "PodGroup", "g"), (evict.Reason, evict.Type, evict.InvolvedObject.Kind, evict.InvolvedObject.Name));
        Assert.Equal("Pod team-a/p0 was evicted by reclaim to make room for pod group team-b/big.", evict.Message);
    }

    [Fact]
    public async Task PipelinedAndStale_RecordKaisReasonsOnThePodAndTheGroup()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var writer = new SchedulingEventWriter(cluster);

        await writer.PipelinedAsync(WriteBackCluster.Decision(DecisionKind.Pipeline, "p1"), default);
        await writer.StaleAsync(WriteBackCluster.Group, default);

        var events = await WriteBackCluster.EventsAsync(cluster);
        Assert.Contains(events, e => (e.Reason, e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name) == ("Pipelined", "Normal", "Pod", "p1"));
        Assert.Contains(events, e => (e.Reason, e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name) == ("StaleJob", "Warning", "PodGroup", "g"));
    }
}
