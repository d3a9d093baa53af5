using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class DeleteTests
{
    [Fact]
    public async Task Delete_RunningPod_TerminatesGracefullyUntilTheKubeletDeletesItWithGraceZero()
    {
        await using var server = await TestServer.StartAsync();
        var running = await PodSubresourceTests.RunningPodAsync(server, "p");
        await using var watch = WatchRecorder<V1Pod>.Start((onError, ct) =>
            server.Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: running.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        var terminating = await server.Client.CoreV1.DeleteNamespacedPodAsync("p", "default", gracePeriodSeconds: 30);
        var modified = await watch.NextAsync();
        await server.Client.CoreV1.DeleteNamespacedPodAsync("p", "default", gracePeriodSeconds: 0);
        var deleted = await watch.NextAsync();

        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal(30, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal((WatchEventType.Modified, true), (modified.Type, modified.Object.Metadata.DeletionTimestamp is not null));
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ReadNamespacedPodAsync("p", "default"));
    }

    [Fact]
    public async Task Delete_WhenObjectHasFinalizers_WaitsUntilTheLastIsRemoved()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", Finalizers = ["example.com/hold"] } }, "default");

        await server.Client.CoreV1.DeleteNamespacedConfigMapAsync("c", "default");
        var stillThere = await server.Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");
        await server.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"remove","path":"/metadata/finalizers"}]""", V1Patch.PatchType.JsonPatch), "c", "default");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default"));

        Assert.NotNull(stillThere.Metadata.DeletionTimestamp);
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task Delete_WithStaleResourceVersionPrecondition_Returns409()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.DeleteNamespacedConfigMapAsync(
            "c", "default", body: new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } }));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyTheSelectedObjects()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("a", labels: new Dictionary<string, string> { ["batch"] = "1" }), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("b", labels: new Dictionary<string, string> { ["batch"] = "2" }), "default");

        await server.Client.CoreV1.DeleteCollectionNamespacedPodAsync("default", labelSelector: "batch=1");

        Assert.Equal(["b"], (await server.Client.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task DeleteNamespace_TakesItsContentsAndProtectsTheDefaultNamespace()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p", ns: "team-a"), "team-a");

        await server.Client.CoreV1.DeleteNamespaceAsync("team-a");
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.DeleteNamespaceAsync("default"));

        Assert.Empty((await server.Client.CoreV1.ListPodForAllNamespacesAsync()).Items);
        Assert.DoesNotContain((await server.Client.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "team-a");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
    }
}
