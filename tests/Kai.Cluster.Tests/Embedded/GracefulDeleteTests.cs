using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class GracefulDeleteTests
{
    [Fact]
    public async Task DeleteAsync_WhenPodRunsOnNode_MarksTerminatingAndKeepsIt()
    {
        var cluster = TestCluster.Create();
        await TestCluster.RunningPodAsync(cluster, "p0", "n0");
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var result = await cluster.DeleteAsync<V1Pod>("team-a", "p0");

        Assert.False(result.Removed);
        Assert.Equal(TestCluster.Epoch.UtcDateTime.AddSeconds(30), result.Object.Metadata.DeletionTimestamp);
        Assert.Equal(30, result.Object.Metadata.DeletionGracePeriodSeconds);
        Assert.Same(result.Object, Assert.Single((await cluster.ListAsync<V1Pod>()).Items));
        var change = Assert.Single(TestCluster.Drain(feed));
        Assert.Equal(ChangeType.Modified, change.Type);
    }

    [Fact]
    public async Task DeleteAsync_WhenTerminatingPodFinalized_RemovesWithDeletedChange()
    {
        var cluster = TestCluster.Create();
        await TestCluster.RunningPodAsync(cluster, "p0", "n0");
        await cluster.DeleteAsync<V1Pod>("team-a", "p0");
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var result = await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);

        Assert.True(result.Removed);
        Assert.Empty((await cluster.ListAsync<V1Pod>()).Items);
        var change = Assert.Single(TestCluster.Drain(feed));
        Assert.Equal(ChangeType.Deleted, change.Type);
        Assert.NotNull(change.Object.Metadata.DeletionTimestamp);
    }

    [Theory]
    [InlineData(null, 45L, 45L)]
    [InlineData(10L, 45L, 10L)]
    [InlineData(null, null, 30L)]
    public async Task DeleteAsync_WhenPodRunsOnNode_UsesArgumentThenSpecThenDefaultGrace(long? argument, long? spec, long expected)
    {
        var cluster = TestCluster.Create();
        await TestCluster.RunningPodAsync(cluster, "p0", "n0", grace: spec);

        var result = await cluster.DeleteAsync<V1Pod>("team-a", "p0", argument);

        Assert.Equal(expected, result.Object.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task DeleteAsync_WhenPodHasNoNode_RemovesAtOnce()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        var result = await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 30);

        Assert.True(result.Removed);
        Assert.Null(await cluster.GetAsync<V1Pod>("team-a", "p0"));
    }

    [Fact]
    public async Task DeleteAsync_WhenPodSucceeded_RemovesAtOnce()
    {
        var cluster = TestCluster.Create();
        var pod = await TestCluster.RunningPodAsync(cluster, "p0", "n0");
        await cluster.ReplaceStatusAsync(pod with { Status = new V1PodStatus { Phase = "Succeeded" } });

        var result = await cluster.DeleteAsync<V1Pod>("team-a", "p0");

        Assert.True(result.Removed);
    }

    [Fact]
    public async Task DeleteAsync_WhenAlreadyTerminatingWithLongerGrace_ChangesNothing()
    {
        var cluster = TestCluster.Create();
        await TestCluster.RunningPodAsync(cluster, "p0", "n0");
        var first = await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 10);

        var second = await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 60);

        Assert.Same(first.Object, second.Object);
        Assert.False(second.Removed);
    }

    [Fact]
    public async Task DeleteAsync_WhenObjectHasFinalizer_WaitsUntilFinalizerRemoved()
    {
        var cluster = TestCluster.Create();
        var widget = TestCluster.Widget("w0");
        widget.Metadata.Finalizers = ["test.kai.io/cleanup"];
        await cluster.CreateAsync(widget);

        var deletion = await cluster.DeleteAsync<Widget>("team-a", "w0");
        var finalized = await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(deletion.Object, m => m.Finalizers = []));

        Assert.False(deletion.Removed);
        Assert.NotNull(deletion.Object.Metadata.DeletionTimestamp);
        Assert.NotNull(finalized.Metadata.DeletionTimestamp);
        Assert.Null(await cluster.GetAsync<Widget>("team-a", "w0"));
    }

    [Fact]
    public async Task DeleteAsync_WhenGraceNegative_FailsInvalid()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.DeleteAsync<V1Pod>("team-a", "p0", -1));

        Assert.Equal(ClusterErrorReason.Invalid, error.Reason);
    }
}
