using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class LoadTests
{
    [Fact]
    public async Task Load_WhenObjectsCarryServerFields_KeepsThemButAssignsResourceVersions()
    {
        var cluster = TestCluster.Create();
        var created = new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var pod = TestCluster.Pod("p0", node: "n0") with { Status = new V1PodStatus { Phase = "Running" } };
        pod.Metadata.Uid = "uid-from-manifest";
        pod.Metadata.CreationTimestamp = created;
        pod.Metadata.ResourceVersion = "999";

        cluster.Load([pod, TestCluster.Node("n0")]);

        var stored = (await cluster.GetAsync<V1Pod>("team-a", "p0"))!;
        Assert.Equal(("uid-from-manifest", created, "1"), (stored.Metadata.Uid, stored.Metadata.CreationTimestamp, stored.Metadata.ResourceVersion));
        Assert.Equal("Running", stored.Status.Phase);
        Assert.NotNull((await cluster.GetAsync<V1Node>(null, "n0"))!.Metadata.Uid);
    }

    [Fact]
    public async Task Load_WhenBatchHasDuplicate_StoresNothing()
    {
        var cluster = TestCluster.Create();

        var error = Assert.Throws<ClusterException>(() => cluster.Load([TestCluster.Pod("p0"), TestCluster.Widget("w0"), TestCluster.Pod("p0")]));

        Assert.Equal(ClusterErrorReason.AlreadyExists, error.Reason);
        Assert.Equal(0, cluster.ResourceVersion);
        Assert.Empty((await cluster.ListAsync<Widget>()).Items);
    }

    [Fact]
    public async Task Load_WhenSubscriberExists_PublishesAdded()
    {
        var cluster = TestCluster.Create();
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());

        cluster.Load(new IKubernetesObject<V1ObjectMeta>[] { TestCluster.Node("n0"), TestCluster.Node("n1") });

        Assert.Equal([ChangeType.Added, ChangeType.Added], TestCluster.Drain(feed).Select(c => c.Type));
    }
}
