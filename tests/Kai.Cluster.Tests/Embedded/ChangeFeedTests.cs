using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class ChangeFeedTests
{
    [Fact]
    public async Task Changes_WhenWritesHappen_AreReadableWithoutWaitingInOrder()
    {
        var cluster = TestCluster.Create();
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());

        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.ReplaceAsync(pod with { Spec = pod.Spec with { PriorityClassName = "high" } });
        await cluster.DeleteAsync<V1Pod>("team-a", "p0");
        var changes = TestCluster.Drain(feed);

        Assert.Equal(
            [(ChangeType.Added, "Pod", "1"), (ChangeType.Added, "Node", "2"), (ChangeType.Modified, "Pod", "3"), (ChangeType.Deleted, "Pod", "4")],
            changes.Select(c => (c.Type, c.Kind.Kind, c.ResourceVersion)));
        Assert.All(changes, c => Assert.Equal(c.ResourceVersion, c.Object.Metadata.ResourceVersion));
        Assert.False(feed.Changes.TryRead(out _));
    }

    [Fact]
    public async Task SubscribeAsync_WhenCreatedAfterWrites_StartsWithCurrentStateAsAdded()
    {
        var cluster = TestCluster.Create();
        var p0 = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Pod("p1"));
        await cluster.ReplaceAsync(p0 with { Spec = p0.Spec with { PriorityClassName = "high" } });
        await cluster.DeleteAsync<V1Pod>("team-a", "p1");

        using var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()));
        await cluster.CreateAsync(TestCluster.Pod("p2"));
        var changes = TestCluster.Drain(feed);

        Assert.Equal("4", feed.StartResourceVersion);
        Assert.Equal(
            [(ChangeType.Added, "p0", "3"), (ChangeType.Added, "p2", "5")],
            changes.Select(c => (c.Type, c.Object.Metadata.Name, c.ResourceVersion)));
    }

    [Fact]
    public async Task SubscribeAsync_WhenResourceVersionGiven_ReplaysLaterChangesOnly()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Pod("p1"));
        await cluster.CreateAsync(TestCluster.Pod("p2"));

        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "1" });

        Assert.Equal(["p1", "p2"], TestCluster.Drain(feed).Select(c => c.Object.Metadata.Name));
    }

    [Fact]
    public async Task SubscribeAsync_WhenResourceVersionOutsideHistory_FailsExpired()
    {
        var cluster = TestCluster.Create(options: new EmbeddedClusterOptions { HistoryCapacity = 2 });
        for (var i = 0; i < 4; i++)
        {
            await cluster.CreateAsync(TestCluster.Pod($"p{i}"));
        }

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "1" }));
        using var stillRetained = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "2" });

        Assert.Equal(ClusterErrorReason.Expired, error.Reason);
        Assert.Equal(410, error.StatusCode);
        Assert.Equal(["p2", "p3"], TestCluster.Drain(stillRetained).Select(c => c.Object.Metadata.Name));
    }

    [Fact]
    public async Task SubscribeAsync_WhenResourceVersionInFuture_FailsInvalid()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "7" }));

        Assert.Equal(ClusterErrorReason.Invalid, error.Reason);
    }

    [Fact]
    public async Task Changes_WhenKindsFiltered_CarryOnlyThoseKinds()
    {
        var cluster = TestCluster.Create();
        using var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Widget>()));

        await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Widget("w0"));

        var change = Assert.Single(TestCluster.Drain(feed));
        Assert.Equal(new KindKey("test.kai.io/v1", "Widget"), change.Kind);
    }

    [Fact]
    public async Task Changes_WhenSubscribersAreSeparate_EachGetsEveryChange()
    {
        var cluster = TestCluster.Create();
        using var first = await cluster.SubscribeAsync(new ChangeFeedOptions());
        using var second = await cluster.SubscribeAsync(new ChangeFeedOptions());

        await cluster.CreateAsync(TestCluster.Pod("p0"));
        var firstChanges = TestCluster.Drain(first);

        Assert.Single(firstChanges);
        Assert.Single(TestCluster.Drain(second));
    }

    [Fact]
    public async Task Changes_WhenCapacityExceeded_CompleteWithExpired()
    {
        var cluster = TestCluster.Create();
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { Capacity = 2 });

        for (var i = 0; i < 3; i++)
        {
            await cluster.CreateAsync(TestCluster.Pod($"p{i}"));
        }

        Assert.Equal(2, TestCluster.Drain(feed).Count);
        var error = await Assert.ThrowsAsync<ClusterException>(async () => await feed.Changes.Completion);
        Assert.Equal(ClusterErrorReason.Expired, error.Reason);
    }

    [Fact]
    public async Task Dispose_WhenCalled_StopsDelivery()
    {
        var cluster = TestCluster.Create();
        var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        feed.Dispose();
        await cluster.CreateAsync(TestCluster.Pod("p1"));

        Assert.Single(TestCluster.Drain(feed));
        Assert.True(feed.Changes.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WatchAsync_WhenEnumerated_YieldsChangesUntilCancelled()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();

        var watching = Task.Run(async () =>
        {
            await foreach (var change in cluster.WatchAsync(new ChangeFeedOptions(), stop.Token))
            {
                seen.Add(change.Object.Metadata.Name);
                if (seen.Count == 2)
                {
                    await stop.CancelAsync();
                }
            }
        });
        await cluster.CreateAsync(TestCluster.Pod("p1"));
        await watching;

        Assert.Equal(["p0", "p1"], seen);
    }
}
