using System.Globalization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class ResourceVersionTests
{
    [Fact]
    public async Task Writes_WhenAcrossKinds_ShareOneIncreasingCounter()
    {
        var cluster = TestCluster.Create();

        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var node = await cluster.CreateAsync(TestCluster.Node("n0"));
        var widget = await cluster.CreateAsync(TestCluster.Widget("w0"));
        var replaced = await cluster.ReplaceAsync(pod with { Metadata = pod.Metadata with { Labels = new Dictionary<string, string> { ["a"] = "b" } } });

        Assert.Equal(["1", "2", "3", "4"], [pod.Metadata.ResourceVersion, node.Metadata.ResourceVersion, widget.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion]);
        Assert.Equal(4, cluster.ResourceVersion);
    }

    [Fact]
    public async Task ListAsync_WhenOtherKindsWereWritten_ReturnsGlobalResourceVersion()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Node("n0"));

        var pods = await cluster.ListAsync<V1Pod>();
        var widgets = await cluster.ListAsync<Widget>();

        Assert.Equal("2", pods.ResourceVersion);
        Assert.Equal("2", widgets.ResourceVersion);
        Assert.Empty(widgets.Items);
    }

    [Fact]
    public async Task DeleteAsync_WhenRemoved_FinalStateCarriesNewResourceVersion()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));

        var deleted = await cluster.DeleteAsync<V1Pod>("team-a", "p0");

        Assert.True(deleted.Removed);
        Assert.True(long.Parse(deleted.Object.Metadata.ResourceVersion, CultureInfo.InvariantCulture) > long.Parse(pod.Metadata.ResourceVersion, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CreateAsync_WhenCalledConcurrently_AssignsUniqueOrderedVersions()
    {
        var cluster = TestCluster.Create();
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());

        await Parallel.ForEachAsync(Enumerable.Range(0, 1_000), async (i, ct) =>
            await cluster.CreateAsync(TestCluster.Pod($"p{i}"), ct));

        var versions = TestCluster.Drain(feed).Select(c => long.Parse(c.ResourceVersion, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 1_000).Select(v => (long)v), versions);
        Assert.Equal(1_000, (await cluster.ListAsync<V1Pod>()).Items.Count);
        Assert.Equal(1_000, (await cluster.ListAsync<V1Pod>()).Items.Select(p => p.Metadata.Uid).Distinct().Count());
    }
}
