using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>The backend's cache and feeds against kai serve over HTTP: list, then watch; reads see our own writes.</summary>
public sealed class ReflectorTests
{
    [Fact]
    public async Task Subscribe_WhenObjectsExist_StartsWithAddedForEachThenDeliversLiveChanges()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml", "tests/kai-examples/docs/quickstart/pods"), new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        var ct = LiveApi.Timeout();

        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>(), KindKey.Of<Queue>()), ct);
        var initial = Drain(feed);
        await api.Server.Cluster.CreateAsync(new V1Pod { Metadata = new() { Name = "late", NamespaceProperty = "default" }, Spec = new() { Containers = [new() { Name = "c", Image = "i" }] } }, ct);
        var live = await feed.Changes.ReadAsync(ct);

        Assert.Equal(["Added Pod default/cpu-only-pod", "Added Pod default/gpu-pod", "Added Queue /default-parent-queue", "Added Queue /default-queue"], initial.Select(Describe).Order());
        Assert.Equal("Added Pod default/late", Describe(live));
    }

    [Fact]
    public async Task Get_AfterOwnCreate_SeesTheCreatedObjectBeforeTheWatchDeliversIt()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml"), TimeProvider.System);
        var ct = LiveApi.Timeout();
        await api.Cluster.StartWatchingAsync([KindKey.Of<PodGroup>()], ct);

        var created = await api.Cluster.CreateAsync(new PodGroup { Metadata = new() { Name = "pg", NamespaceProperty = "default" }, Spec = new() { MinMember = 1, Queue = "default-queue" } }, ct);
        var read = await api.Cluster.GetAsync<PodGroup>("default", "pg", ct);
        await api.Cluster.WaitForOwnWritesAsync(ct);
        var deleted = await api.Cluster.DeleteAsync<PodGroup>("default", "pg", cancellationToken: ct);
        var afterDelete = await api.Cluster.GetAsync<PodGroup>("default", "pg", ct);

        Assert.Equal(created.Metadata.ResourceVersion, read?.Metadata.ResourceVersion);
        Assert.True(deleted.Removed);
        Assert.Null(afterDelete);
    }

    [Fact]
    public async Task BindPodAsync_WithAnnotations_TheServerSetsThemOnThePodInTheSameRequest()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml", "tests/kai-examples/docs/quickstart/pods"), TimeProvider.System);
        var ct = LiveApi.Timeout();
        await api.Cluster.StartWatchingAsync([KindKey.Of<V1Pod>()], ct);

        var bound = await api.Cluster.BindPodAsync("default", "cpu-only-pod", "node-0", new Dictionary<string, string> { ["received-resource-type"] = "Regular" }, ct);
        var stored = await api.Server.Cluster.GetAsync<V1Pod>("default", "cpu-only-pod", ct);

        Assert.Equal(("node-0", "Regular"), (bound.Spec.NodeName, bound.Metadata.Annotations["received-resource-type"]));
        Assert.Equal(("node-0", "Regular"), (stored!.Spec.NodeName, stored.Metadata.Annotations["received-resource-type"]));
    }

    private static List<ClusterChange> Drain(IChangeFeed feed)
    {
        var changes = new List<ClusterChange>();
        while (feed.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }

    private static string Describe(ClusterChange change) => $"{change.Type} {change.Kind.Kind} {change.Object.Metadata.NamespaceProperty}/{change.Object.Metadata.Name}";
}
