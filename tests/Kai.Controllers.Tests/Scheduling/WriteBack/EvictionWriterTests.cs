using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class EvictionWriterTests
{
    [Theory]
    [InlineData(EvictionMode.Delete)]
    [InlineData(EvictionMode.EvictionApi)]
    public async Task WriteAsync_ForAnEviction_RemovesThePodGracefully(EvictionMode mode)
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();

        var deleted = await new EvictionWriter(cluster, mode).WriteAsync(WriteBackCluster.Decision(DecisionKind.Evict, "p0"), default);

        Assert.True(deleted);
        var pod = await cluster.GetAsync<V1Pod>("team-a", "p0");
        Assert.True(pod is null || pod.Metadata.DeletionTimestamp is not null);
    }

    [Fact]
    public async Task WriteAsync_WhenThePodIsGoneAlready_ReportsNothingDeleted()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);

        var deleted = await new EvictionWriter(cluster, EvictionMode.Delete).WriteAsync(WriteBackCluster.Decision(DecisionKind.Evict, "p0"), default);

        Assert.False(deleted);
    }
}
