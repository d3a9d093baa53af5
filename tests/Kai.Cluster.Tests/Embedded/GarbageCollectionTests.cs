using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class GarbageCollectionTests
{
    [Fact]
    public async Task DeleteAsync_WhenOwnerRemoved_DeletesDependentsAtOnce()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(OwnedBy(TestCluster.Widget("bind-p0"), pod, cluster));
        await cluster.CreateAsync(TestCluster.Widget("unrelated"));

        await cluster.DeleteAsync<V1Pod>("team-a", "p0");

        var widgets = await cluster.ListAsync<Widget>();
        Assert.Equal(["unrelated"], widgets.Items.Select(w => w.Metadata.Name));
    }

    [Fact]
    public async Task DeleteAsync_WhenOwnerTerminating_KeepsDependentsUntilRemoved()
    {
        var cluster = TestCluster.Create();
        var pod = await TestCluster.RunningPodAsync(cluster, "p0", "n0");
        await cluster.CreateAsync(OwnedBy(TestCluster.Widget("bind-p0"), pod, cluster));

        await cluster.DeleteAsync<V1Pod>("team-a", "p0");
        var whileTerminating = await cluster.GetAsync<Widget>("team-a", "bind-p0");
        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);

        Assert.NotNull(whileTerminating);
        Assert.Null(await cluster.GetAsync<Widget>("team-a", "bind-p0"));
    }

    [Fact]
    public async Task DeleteAsync_WhenDependentHasAnotherLiveOwner_KeepsIt()
    {
        var cluster = TestCluster.Create();
        var first = await cluster.CreateAsync(TestCluster.Widget("owner-1"));
        var second = await cluster.CreateAsync(TestCluster.Widget("owner-2"));
        var dependent = OwnedBy(OwnedBy(TestCluster.Widget("shared"), first, cluster), second, cluster);
        await cluster.CreateAsync(dependent);

        await cluster.DeleteAsync<Widget>("team-a", "owner-1");
        var afterFirst = await cluster.GetAsync<Widget>("team-a", "shared");
        await cluster.DeleteAsync<Widget>("team-a", "owner-2");

        Assert.NotNull(afterFirst);
        Assert.Null(await cluster.GetAsync<Widget>("team-a", "shared"));
    }

    [Fact]
    public async Task DeleteAsync_WhenOwnershipChain_CollectsEveryLevel()
    {
        var cluster = TestCluster.Create();
        var root = await cluster.CreateAsync(TestCluster.Widget("root"));
        var middle = await cluster.CreateAsync(OwnedBy(TestCluster.Widget("middle"), root, cluster));
        await cluster.CreateAsync(OwnedBy(TestCluster.Pod("leaf"), middle, cluster));

        await cluster.DeleteAsync<Widget>("team-a", "root");

        Assert.Empty((await cluster.ListAsync<Widget>()).Items);
        Assert.Empty((await cluster.ListAsync<V1Pod>()).Items);
    }

    [Fact]
    public async Task DeleteAsync_WhenDependentPodRunsOnNode_TerminatesItGracefully()
    {
        var cluster = TestCluster.Create();
        var owner = await cluster.CreateAsync(TestCluster.Widget("job"));
        var created = await cluster.CreateAsync(OwnedBy(TestCluster.Pod("p0", node: "n0"), owner, cluster));
        await cluster.ReplaceStatusAsync(created with { Status = new V1PodStatus { Phase = "Running" } });

        await cluster.DeleteAsync<Widget>("team-a", "job");

        var pod = await cluster.GetAsync<V1Pod>("team-a", "p0");
        Assert.NotNull(pod!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task ReplaceAsync_WhenOwnerReferenceRemoved_StopsCollection()
    {
        var cluster = TestCluster.Create();
        var owner = await cluster.CreateAsync(TestCluster.Widget("owner"));
        var dependent = await cluster.CreateAsync(OwnedBy(TestCluster.Widget("dependent"), owner, cluster));
        await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(dependent, m => m.OwnerReferences = null));

        await cluster.DeleteAsync<Widget>("team-a", "owner");

        Assert.NotNull(await cluster.GetAsync<Widget>("team-a", "dependent"));
    }

    private static T OwnedBy<T>(T obj, k8s.IKubernetesObject<V1ObjectMeta> owner, Kai.Cluster.Embedded.EmbeddedCluster cluster)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> =>
        KubeObjects.WithEditedMetadata(obj, m => m.OwnerReferences = [.. m.OwnerReferences ?? [], KubeObjects.OwnerReferenceTo(owner, cluster.Kinds)]);
}
