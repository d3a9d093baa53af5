using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.ApiServer.Tests;

public sealed class ListTests
{
    [Fact]
    public async Task List_WhenObjectsExist_ReturnsThemSortedWithTheCurrentResourceVersion()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("b"), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("a"), "default");

        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Equal(["a", "b"], list.Items.Select(p => p.Metadata.Name));
        Assert.Equal(server.Cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_WhenBuiltInKind_ItemsOmitApiVersionAndKindButCustomResourcesKeepThem()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");
        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(new Queue { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new QueueSpec { Resources = new QueueResources() } }, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName);

        var pods = JsonDocument.Parse(await server.Http.GetStringAsync("/api/v1/namespaces/default/pods")).RootElement;
        var queues = JsonDocument.Parse(await server.Http.GetStringAsync("/apis/scheduling.run.ai/v2/queues")).RootElement;

        Assert.Equal(("PodList", "v1"), (pods.GetProperty("kind").GetString(), pods.GetProperty("apiVersion").GetString()));
        Assert.False(pods.GetProperty("items")[0].TryGetProperty("kind", out _));
        Assert.False(pods.GetProperty("items")[0].TryGetProperty("apiVersion", out _));
        Assert.Equal("QueueList", queues.GetProperty("kind").GetString());
        Assert.Equal("Queue", queues.GetProperty("items")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task List_WhenLimitGiven_ServesConsistentPagesOfTheFirstPagesVersion()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var name in new[] { "p0", "p1", "p2", "p3", "p4" })
        {
            await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod(name), "default");
        }

        var first = await server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 2);
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p5"), "default");
        await server.Client.CoreV1.DeleteNamespacedPodAsync("p3", "default");
        var second = await server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        var third = await server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: second.Metadata.ContinueProperty);

        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], first.Items.Concat(second.Items).Concat(third.Items).Select(p => p.Metadata.Name));
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.All([second, third], page => Assert.Equal(first.Metadata.ResourceVersion, page.Metadata.ResourceVersion));
        Assert.Null(third.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task List_WhenContinueTokenIsNoLongerKept_Returns410Expired()
    {
        await using var server = await TestServer.StartAsync(new ApiServerOptions { MaxPagedLists = 1 });
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p0"), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p1"), "default");
        var first = await server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 1);
        await server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 1);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ListNamespacedPodAsync("default", limit: 1, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Equal("Expired", Status(error).Reason);
    }

    [Fact]
    public async Task List_WhenResourceVersionIsInTheFuture_TimesOut()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ListNamespacedPodAsync("default", resourceVersion: "999999", resourceVersionMatch: "NotOlderThan"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, error.Response.StatusCode);
    }

    internal static V1Status Status(HttpOperationException error) => KubernetesJson.Deserialize<V1Status>(error.Response.Content);
}
