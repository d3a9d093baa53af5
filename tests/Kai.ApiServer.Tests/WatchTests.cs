using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;

namespace Kai.ApiServer.Tests;

public sealed class WatchTests
{
    [Fact]
    public async Task Watch_FromListResourceVersion_DeliversLaterChangesInOrder()
    {
        await using var server = await TestServer.StartAsync();
        var existing = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("old"), "default");
        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default");
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        var created = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("new"), "default");
        await server.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "old", "default");
        await server.Client.CoreV1.DeleteNamespacedPodAsync("new", "default");
        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };

        Assert.Equal(
            [(WatchEventType.Added, "new"), (WatchEventType.Modified, "old"), (WatchEventType.Deleted, "new")],
            events.Select(e => (e.Type, e.Object.Metadata.Name)));
        Assert.Equal(created.Metadata.ResourceVersion, events[0].Object.Metadata.ResourceVersion);
        Assert.True(long.Parse(events[2].Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(events[1].Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(existing.Metadata.ResourceVersion, events[1].Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithAddedForEveryExistingObject()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNodeAsync(Objects.Node("n1"));
        await server.Client.CoreV1.CreateNodeAsync(Objects.Node("n2"));

        await using var watch = WatchRecorder<V1Node>.Start((onError, ct) => server.Client.CoreV1.WatchListNodeAsync(onError: onError, cancellationToken: ct));
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();

        Assert.Equal([(WatchEventType.Added, "n1"), (WatchEventType.Added, "n2")], new[] { first, second }.Select(e => (e.Type, e.Object.Metadata.Name)).Order());
    }

    [Fact]
    public async Task Watch_WhenBookmarksAllowed_SendsBookmarksAtTheCurrentVersion()
    {
        await using var server = await TestServer.StartAsync(new ApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default");
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, onError: onError, cancellationToken: ct));
        await server.Client.CoreV1.CreateNodeAsync(Objects.Node("elsewhere"));

        var bookmark = await watch.NextAsync();
        while (bookmark.Object.Metadata.ResourceVersion == list.Metadata.ResourceVersion)
        {
            bookmark = await watch.NextAsync();
        }

        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(server.Cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), bookmark.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_WhenResourceVersionIsOlderThanTheHistory_EndsWith410Expired()
    {
        await using var server = await TestServer.StartAsync(clusterOptions: new EmbeddedClusterOptions { HistoryCapacity = 2 });
        var first = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p0"), "default");
        foreach (var name in new[] { "p1", "p2", "p3" })
        {
            await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod(name), "default");
        }

        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: first.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));
        var ended = await watch.EndedAsync();

        Assert.Null(ended);
        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal((410, "Expired"), (error.Status.Code, error.Status.Reason));
    }

    [Fact]
    public async Task Watch_WhenTheWatcherFallsBehind_EndsWith410ExpiredAfterTheQueuedEvents()
    {
        await using var server = await TestServer.StartAsync(new ApiServerOptions { WatchBacklogLimit = 3 });
        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default");
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: list.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("first"), "default");
        await watch.NextAsync();

        // One atomic write of ten objects: the server cannot drain the watcher's queue meanwhile.
        server.Cluster.Load(Enumerable.Range(0, 10).Select(i => Objects.Pod($"burst-{i}")));
        var ended = await watch.EndedAsync();

        Assert.Null(ended);
        var error = Assert.IsType<KubernetesException>(Assert.Single(watch.Errors));
        Assert.Equal(410, error.Status.Code);
    }

    [Fact]
    public async Task Watch_WhenTimeoutSecondsPass_EndsCleanly()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        // KubernetesClient 21.0.8 throws on a watch body without any event, so this watch gets one first.
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: "0", timeoutSeconds: 1, onError: onError, cancellationToken: ct));

        Assert.Equal(WatchEventType.Added, (await watch.NextAsync()).Type);
        Assert.Null(await watch.EndedAsync());
        Assert.Empty(watch.Errors);
    }

    [Fact]
    public async Task Watch_WithLabelSelector_ReportsObjectsEnteringAndLeavingTheSelection()
    {
        await using var server = await TestServer.StartAsync();
        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default");
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", labelSelector: "team=a", resourceVersion: list.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");
        await server.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"team":"a"}}}""", V1Patch.PatchType.MergePatch), "p", "default");
        await server.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"annotations":{"note":"1"}}}""", V1Patch.PatchType.MergePatch), "p", "default");
        var left = await server.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"team":"b"}}}""", V1Patch.PatchType.MergePatch), "p", "default");
        var events = new[] { await watch.NextAsync(), await watch.NextAsync(), await watch.NextAsync() };

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal("a", events[2].Object.Metadata.Labels["team"]);
        Assert.Equal(left.Metadata.ResourceVersion, events[2].Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Watch_WithSendInitialEvents_EndsTheInitialEventsWithAnAnnotatedBookmark()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        using var response = await server.Http.GetAsync(
            "/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1",
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var added = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        var bookmark = JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;

        Assert.Equal(("ADDED", "p"), (added.GetProperty("type").GetString(), added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()));
        Assert.Equal("BOOKMARK", bookmark.GetProperty("type").GetString());
        Assert.Equal("true", bookmark.GetProperty("object").GetProperty("metadata").GetProperty("annotations").GetProperty("k8s.io/initial-events-end").GetString());
    }

    [Fact]
    public async Task Watch_OnACustomResource_StreamsTypedObjects()
    {
        await using var server = await TestServer.StartAsync();
        var list = await server.Client.CustomObjects.ListClusterCustomObjectAsync<Kai.Cluster.Crds.QueueList>("scheduling.run.ai", "v2", "queues");
        await using var watch = WatchRecorder<object>.Start((onError, ct) => server.Client.CustomObjects.WatchListClusterCustomObjectAsync(
            "scheduling.run.ai", "v2", "queues", resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, onError: onError, cancellationToken: ct));

        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(
            new Kai.Cluster.Crds.Queue { Metadata = new V1ObjectMeta { Name = "team-a" }, Spec = new Kai.Cluster.Crds.QueueSpec { ParentQueue = "root", Resources = new Kai.Cluster.Crds.QueueResources() } },
            "scheduling.run.ai", "v2", "queues");
        var added = await watch.NextChangeAsync();
        var queue = KubernetesJson.Deserialize<Kai.Cluster.Crds.Queue>((JsonElement)added.Object);

        Assert.Equal((WatchEventType.Added, "team-a", "root"), (added.Type, queue.Metadata.Name, queue.Spec.ParentQueue));
    }

    [Fact]
    public async Task Watch_WhenResourceVersionIsMalformed_Returns400()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Http.GetAsync("/api/v1/pods?watch=1&resourceVersion=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

}
