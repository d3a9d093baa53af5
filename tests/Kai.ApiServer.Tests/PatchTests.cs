using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.ApiServer.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task MergePatch_AddsChangesAndRemovesLabels()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p", labels: new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "1", ["change"] = "1" }), "default");

        var patched = await server.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"labels":{"drop":null,"change":"2","add":"3"}}}""", V1Patch.PatchType.MergePatch), "p", "default");

        Assert.Equal(
            new Dictionary<string, string> { ["keep"] = "1", ["change"] = "2", ["add"] = "3" },
            patched.Metadata.Labels);
    }

    [Fact]
    public async Task JsonPatch_WhenTestHolds_AppliesEveryOperationAndWhenItFails_Returns422AndChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await server.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"},{"op":"replace","path":"/data/a","value":"10"},{"op":"copy","from":"/data/b","path":"/data/c"},{"op":"move","from":"/data/c","path":"/data/d"},{"op":"remove","path":"/data/b"}]""", V1Patch.PatchType.JsonPatch),
            "c",
            "default");
        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""[{"op":"add","path":"/data/e","value":"5"},{"op":"test","path":"/data/a","value":"1"}]""", V1Patch.PatchType.JsonPatch), "c", "default"));
        var after = await server.Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["d"] = "2" }, patched.Data);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.Response.StatusCode);
        Assert.Equal(patched.Data, after.Data);
    }

    [Fact]
    public async Task StrategicMergePatch_MergesContainersByNameAndKeepsTheOthers()
    {
        await using var server = await TestServer.StartAsync();
        var pod = Objects.Pod("p");
        pod.Spec.Containers = [new V1Container { Name = "main", Image = "main:1" }, new V1Container { Name = "sidecar", Image = "sidecar:1" }];
        await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var patched = await server.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"spec":{"containers":[{"name":"sidecar","image":"sidecar:2"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");

        Assert.Equal([("main", "main:1"), ("sidecar", "sidecar:2")], patched.Spec.Containers.Select(c => (c.Name, c.Image)));
    }

    [Fact]
    public async Task StrategicMergePatch_OnStatus_MergesConditionsByType()
    {
        await using var server = await TestServer.StartAsync();
        var running = await PodSubresourceTests.RunningPodAsync(server, "p");

        var patched = await server.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False","reason":"Probe"},{"type":"Custom","status":"True"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");

        Assert.Equal([("Ready", "True")], running.Status.Conditions.Select(c => (c.Type, c.Status)));
        Assert.Equal([("Ready", "False"), ("Custom", "True")], patched.Status.Conditions.Select(c => (c.Type, c.Status)));
        Assert.Equal(running.Status.Phase, patched.Status.Phase);
    }

    [Fact]
    public async Task StrategicMergePatch_WithDirectives_DeletesListElementsAndRemovesFinalizers()
    {
        await using var server = await TestServer.StartAsync();
        var pod = Objects.Pod("p");
        pod.Metadata.Finalizers = ["a/x", "b/y"];
        await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await server.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"A","status":"True"},{"type":"B","status":"True"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");

        var metadata = await server.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a/x"]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");
        var status = await server.Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"A","$patch":"delete"}]}}""", V1Patch.PatchType.StrategicMergePatch), "p", "default");

        Assert.Equal(["b/y"], metadata.Metadata.Finalizers);
        Assert.Equal(["B"], status.Status.Conditions.Select(c => c.Type));
    }

    [Fact]
    public async Task StrategicMergePatch_OnACustomResource_Returns415()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(new Queue { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new QueueSpec { Resources = new QueueResources() } }, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"displayName":"x"}}""", V1Patch.PatchType.StrategicMergePatch), Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName, "q"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, error.Response.StatusCode);
    }

    [Fact]
    public async Task MergePatch_OnACustomResource_ChangesTheSpecAndBumpsGeneration()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(new Queue { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new QueueSpec { Priority = 1, Resources = new QueueResources() } }, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName);

        var result = await server.Client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"priority":7}}""", V1Patch.PatchType.MergePatch), Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName, "q");
        var queue = KubernetesJson.Deserialize<Queue>(((System.Text.Json.JsonElement)result).GetRawText());

        Assert.Equal((7, 2L), (queue.Spec.Priority, queue.Metadata.Generation));
    }

    [Fact]
    public async Task ApplyPatch_CreatesWhatIsMissingThenMergesTheAppliedConfiguration()
    {
        await using var server = await TestServer.StartAsync();
        var applied = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["a"] = "1" } };

        var created = await server.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied, V1Patch.PatchType.ApplyPatch), "c", "default", fieldManager: "test", force: true);
        applied.Data = new Dictionary<string, string> { ["b"] = "2" };
        var updated = await server.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied, V1Patch.PatchType.ApplyPatch), "c", "default", fieldManager: "test", force: true);
        var noManager = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(applied, V1Patch.PatchType.ApplyPatch), "c", "default"));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, created.Data);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, updated.Data);
        Assert.Equal(HttpStatusCode.BadRequest, noManager.Response.StatusCode);
    }

    [Fact]
    public async Task Patch_NamingAStaleResourceVersion_Returns409()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");
        await server.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"1"}}""", V1Patch.PatchType.MergePatch), "c", "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + created.Metadata.ResourceVersion + "\"},\"data\":{\"a\":\"2\"}}", V1Patch.PatchType.MergePatch), "c", "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
    }

    [Fact]
    public async Task Patch_WithUnknownContentType_Returns415()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "default");

        var response = await server.Http.PatchAsync("/api/v1/namespaces/default/configmaps/c", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
