using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class CrudTests
{
    [Fact]
    public async Task CreateAsync_WhenNew_FillsServerFieldsAndIsReadable()
    {
        var cluster = TestCluster.Create();

        var created = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var fetched = await cluster.GetAsync<V1Pod>("team-a", "p0");
        var listed = await cluster.ListAsync<V1Pod>();

        Assert.Same(created, fetched);
        Assert.Same(created, Assert.Single(listed.Items));
        Assert.Equal("00000000-0000-4000-8000-000000000001", created.Metadata.Uid);
        Assert.Equal(TestCluster.Epoch.UtcDateTime, created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(("v1", "Pod"), (created.ApiVersion, created.Kind));
    }

    [Fact]
    public async Task CreateAsync_WhenCalled_DoesNotMutateCallersObject()
    {
        var cluster = TestCluster.Create();
        var pod = TestCluster.Pod("p0");

        var created = await cluster.CreateAsync(pod);

        Assert.NotSame(pod, created);
        Assert.Null(pod.Metadata.ResourceVersion);
        Assert.Null(pod.Metadata.Uid);
    }

    [Fact]
    public async Task CreateAsync_WhenNameExists_FailsAlreadyExists()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0"));

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.CreateAsync(TestCluster.Pod("p0")));

        Assert.Equal(ClusterErrorReason.AlreadyExists, error.Reason);
        Assert.Equal(409, error.StatusCode);
        Assert.Equal(1, cluster.ResourceVersion);
    }

    [Fact]
    public async Task CreateAsync_WhenSameNameInOtherNamespace_Succeeds()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p0", ns: "team-a"));

        await cluster.CreateAsync(TestCluster.Pod("p0", ns: "team-b"));

        Assert.Equal(2, (await cluster.ListAsync<V1Pod>()).Items.Count);
    }

    [Fact]
    public async Task CreateAsync_WhenNoNamespace_UsesDefault()
    {
        var cluster = TestCluster.Create();

        var created = await cluster.CreateAsync(TestCluster.Pod("p0", ns: null));

        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.NotNull(await cluster.GetAsync<V1Pod>(null, "p0"));
    }

    [Fact]
    public async Task CreateAsync_WhenClusterScopedWithNamespace_DropsNamespace()
    {
        var cluster = TestCluster.Create();
        var node = TestCluster.Node("n0");
        node.Metadata.NamespaceProperty = "team-a";

        var created = await cluster.CreateAsync(node);

        Assert.Null(created.Metadata.NamespaceProperty);
        Assert.Same(created, await cluster.GetAsync<V1Node>("anything", "n0"));
    }

    [Fact]
    public async Task CreateAsync_WhenGenerateName_GeneratesDeterministicName()
    {
        var cluster = TestCluster.Create();
        var pod = TestCluster.Pod(name: "");
        pod.Metadata.GenerateName = "job-";

        var first = await cluster.CreateAsync(pod);
        var second = await cluster.CreateAsync(pod);

        Assert.Equal("job-cbbbb", first.Metadata.Name);
        Assert.Equal("job-dbbbb", second.Metadata.Name);
    }

    [Fact]
    public async Task CreateAsync_WhenNoNameNorGenerateName_FailsInvalid()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.CreateAsync(TestCluster.Pod("")));

        Assert.Equal(ClusterErrorReason.Invalid, error.Reason);
    }

    [Fact]
    public async Task CreateAsync_WhenPodCarriesStatus_StartsPending()
    {
        var cluster = TestCluster.Create();
        var pod = TestCluster.Pod("p0") with { Status = new V1PodStatus { Phase = "Running" } };

        var created = await cluster.CreateAsync(pod);

        Assert.Equal("Pending", created.Status.Phase);
    }

    [Fact]
    public async Task CreateAsync_WhenNodeCarriesStatus_KeepsIt()
    {
        var cluster = TestCluster.Create();

        var created = await cluster.CreateAsync(TestCluster.Node("n0"));

        Assert.Equal("8", created.Status.Allocatable["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public async Task GetAsync_WhenMissing_ReturnsNull()
    {
        var cluster = TestCluster.Create();

        Assert.Null(await cluster.GetAsync<V1Pod>("team-a", "nope"));
    }

    [Fact]
    public async Task ReplaceAsync_WhenResourceVersionCurrent_StoresNewVersion()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0", size: 1));

        var replaced = await cluster.ReplaceAsync(created with { Spec = new WidgetSpec(2) });

        Assert.Equal(2, replaced.Spec!.Size);
        Assert.Equal("2", replaced.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.Same(replaced, await cluster.GetAsync<Widget>("team-a", "w0"));
        Assert.Equal(1, created.Spec!.Size);
    }

    [Fact]
    public async Task ReplaceAsync_WhenResourceVersionStale_FailsConflict()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0"));
        await cluster.ReplaceAsync(created with { Spec = new WidgetSpec(2) });

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceAsync(created with { Spec = new WidgetSpec(3) }));

        Assert.Equal(ClusterErrorReason.Conflict, error.Reason);
        Assert.Contains("the object has been modified", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await cluster.GetAsync<Widget>("team-a", "w0"))!.Spec!.Size);
    }

    [Fact]
    public async Task ReplaceAsync_WhenResourceVersionEmpty_ReplacesUnconditionally()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0"));
        await cluster.ReplaceAsync(created with { Spec = new WidgetSpec(2) });

        var replaced = await cluster.ReplaceAsync(TestCluster.Widget("w0", size: 3));

        Assert.Equal(3, replaced.Spec!.Size);
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, replaced.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task ReplaceAsync_WhenUidDiffers_FailsConflict()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Widget("w0"));
        var impostor = TestCluster.Widget("w0");
        impostor.Metadata.Uid = "someone-else";

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceAsync(impostor));

        Assert.Equal(ClusterErrorReason.Conflict, error.Reason);
    }

    [Fact]
    public async Task ReplaceAsync_WhenMissing_FailsNotFound()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.ReplaceAsync(TestCluster.Widget("w0")));

        Assert.Equal(ClusterErrorReason.NotFound, error.Reason);
        Assert.Equal("widgets \"team-a/w0\" not found", error.Message);
    }

    [Fact]
    public async Task ReplaceAsync_WhenKindHasStatusSubresource_KeepsStoredStatus()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Widget("w0"));
        var withStatus = await cluster.ReplaceStatusAsync(created with { Status = new WidgetStatus("Ready") });

        var replaced = await cluster.ReplaceAsync(withStatus with { Spec = new WidgetSpec(5), Status = new WidgetStatus("Broken") });

        Assert.Equal("Ready", replaced.Status!.Phase);
        Assert.Equal(5, replaced.Spec!.Size);
    }

    [Fact]
    public async Task ReplaceAsync_WhenOnlyMetadataChanges_KeepsGeneration()
    {
        var cluster = TestCluster.Create();
        var created = await cluster.CreateAsync(TestCluster.Pod("p0"));

        var relabelled = await cluster.ReplaceAsync(Relabel(created));
        var cloned = await cluster.ReplaceAsync(KubeObjects.Clone(relabelled));
        var respecced = await cluster.ReplaceAsync(cloned with { Spec = cloned.Spec with { PriorityClassName = "high" } });

        Assert.Equal([1L, 1L, 2L], [relabelled.Metadata.Generation!.Value, cloned.Metadata.Generation!.Value, respecced.Metadata.Generation!.Value]);
    }

    [Fact]
    public async Task DeleteAsync_WhenMissing_FailsNotFound()
    {
        var cluster = TestCluster.Create();

        var error = await Assert.ThrowsAsync<ClusterException>(async () => await cluster.DeleteAsync<V1Node>(null, "n0"));

        Assert.Equal(ClusterErrorReason.NotFound, error.Reason);
    }

    [Fact]
    public async Task DeleteAsync_WhenNode_RemovesAtOnce()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Node("n0"));

        var result = await cluster.DeleteAsync<V1Node>(null, "n0", gracePeriodSeconds: 60);

        Assert.True(result.Removed);
        Assert.Null(await cluster.GetAsync<V1Node>(null, "n0"));
    }

    [Fact]
    public async Task CreateAsync_WhenCancelled_DoesNothing()
    {
        var cluster = TestCluster.Create();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cluster.CreateAsync(TestCluster.Pod("p0"), cancelled.Token));

        Assert.Equal(0, cluster.ResourceVersion);
    }

    private static V1Pod Relabel(V1Pod pod) =>
        KubeObjects.WithEditedMetadata(pod, m => m.Labels = new Dictionary<string, string> { ["team"] = "a" });
}
