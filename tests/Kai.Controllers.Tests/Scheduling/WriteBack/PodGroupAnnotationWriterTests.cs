using Kai.Cluster.Crds;
using Kai.Controllers.Scheduling.WriteBack;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class PodGroupAnnotationWriterTests
{
    [Fact]
    public async Task MarkStartedAsync_StampsTheGroupWithTheClocksTime()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();
        clock.Advance(TimeSpan.FromMinutes(5));

        await new PodGroupAnnotationWriter(cluster, clock).MarkStartedAsync(WriteBackCluster.Group, default);

        var group = await cluster.GetAsync<PodGroup>("team-a", "g");
        Assert.Equal("2025-01-01T00:05:00Z", group!.Metadata.Annotations["kai.scheduler/last-start-timestamp"]);
    }

    [Fact]
    public async Task SetStaleSinceAsync_SetsTheStampAndNullClearsIt()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();
        var writer = new PodGroupAnnotationWriter(cluster, clock);

        await writer.SetStaleSinceAsync(WriteBackCluster.Group, TestCluster.Epoch.AddMinutes(1), default);
        var stamped = (await cluster.GetAsync<PodGroup>("team-a", "g"))!.Metadata.Annotations["kai.scheduler/stale-podgroup-timestamp"];
        await writer.SetStaleSinceAsync(WriteBackCluster.Group, null, default);
        var cleared = (await cluster.GetAsync<PodGroup>("team-a", "g"))!.Metadata.Annotations;

        Assert.Equal("2025-01-01T00:01:00Z", stamped);
        Assert.False(cleared.ContainsKey("kai.scheduler/stale-podgroup-timestamp"));
    }

    [Fact]
    public async Task MarkStartedAsync_ForAGroupThatIsGone_WritesNothing()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();

        await new PodGroupAnnotationWriter(cluster, clock).MarkStartedAsync(new("team-a", "missing"), default);

        Assert.Single((await cluster.ListAsync<PodGroup>()).Items);
    }
}
