using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class StatusTests
{
    [Fact]
    public async Task ReplaceStatusAsync_WhenSpecAndMetadataChanged_StoresOnlyStatus()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0", size: 1));
        var edited = KubeObjects.WithEditedMetadata(created, m => m.Labels = new Dictionary<string, string> { ["x"] = "y" })
            with { Spec = new WidgetSpec(9), Status = new WidgetStatus("Ready") };

        var updated = await cluster.ReplaceStatusAsync(edited);

        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal(1, updated.Spec!.Size);
        Assert.Null(updated.Metadata.Labels);
        Assert.Equal(1, updated.Metadata.Generation);
        Assert.Equal("2", updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceStatusAsync_WhenResourceVersionStale_FailsConflict()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0"));
        await cluster.ReplaceStatusAsync(created with { Status = new WidgetStatus("A") });

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceStatusAsync(created with { Status = new WidgetStatus("B") }));

        Assert.Equal(ClusterErrorReason.Conflict, error.Reason);
    }

    [Fact]
    public async Task ReplaceStatusAsync_WhenKindHasNoStatus_FailsInvalid()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 100 });

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceStatusAsync(created));

        Assert.Equal(ClusterErrorReason.Invalid, error.Reason);
    }

    [Fact]
    public async Task ReplaceStatusAsync_WhenMissing_FailsNotFound()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceStatusAsync(TestCluster.Pod("p0")));

        Assert.Equal(ClusterErrorReason.NotFound, error.Reason);
    }

    [Fact]
    public async Task BindPodAsync_WhenPending_SetsNodeAndScheduledCondition()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        var bound = await cluster.BindPodAsync("team-a", "p0", "n0");

        Assert.Equal("n0", bound.Spec.NodeName);
        var condition = Assert.Single(bound.Status.Conditions);
        Assert.Equal(("PodScheduled", "True"), (condition.Type, condition.Status));
        Assert.Equal("Pending", bound.Status.Phase);
    }

    [Fact]
    public async Task BindPodAsync_WithAnnotations_AddsThemToThePodsOwn()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        var bound = await cluster.BindPodAsync("team-a", "p0", "n0", new Dictionary<string, string> { ["received-resource-type"] = "Regular" });

        Assert.Equal("Regular", bound.Metadata.Annotations["received-resource-type"]);
        Assert.Equal("Regular", (await cluster.GetAsync<V1Pod>("team-a", "p0"))!.Metadata.Annotations["received-resource-type"]);
    }

    [Fact]
    public async Task BindPodAsync_WhenAlreadyBound_FailsConflict()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0", node: "n0"));

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.BindPodAsync("team-a", "p0", "n1"));

        Assert.Equal(ClusterErrorReason.Conflict, error.Reason);
    }

    [Fact]
    public async Task BindPodAsync_WhenMissing_FailsNotFound()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.BindPodAsync("team-a", "p0", "n0"));

        Assert.Equal(ClusterErrorReason.NotFound, error.Reason);
    }
}
