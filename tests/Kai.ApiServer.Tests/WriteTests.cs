using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class WriteTests
{
    [Fact]
    public async Task Replace_WithStaleResourceVersion_Returns409Conflict()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["k"] = "1" } }, "default");
        created.Data["k"] = "2";
        await server.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default");

        created.Data["k"] = "3";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", "default"));

        var status = ListTests.Status(error);
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again", status.Message);
    }

    [Fact]
    public async Task Create_WhenNameIsTaken_Returns409AlreadyExists()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default"));

        Assert.Equal((HttpStatusCode.Conflict, "AlreadyExists", "pods \"p\" already exists"), (error.Response.StatusCode, ListTests.Status(error).Reason, ListTests.Status(error).Message));
    }

    [Fact]
    public async Task Read_WhenMissing_Returns404WithNotFoundStatus()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ReadNamespacedPodAsync("nope", "default"));

        var status = ListTests.Status(error);
        Assert.Equal((HttpStatusCode.NotFound, "NotFound", "pods \"nope\" not found", "nope", "pods"), (error.Response.StatusCode, status.Reason, status.Message, status.Details.Name, status.Details.Kind));
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404ForTheNamespace()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p", ns: "nowhere"), "nowhere"));

        Assert.Equal((HttpStatusCode.NotFound, "namespaces \"nowhere\" not found"), (error.Response.StatusCode, ListTests.Status(error).Message));
    }

    [Fact]
    public async Task Create_WithGenerateName_AssignsAUniqueName()
    {
        await using var server = await TestServer.StartAsync();
        var pod = Objects.Pod(null!);
        pod.Metadata.GenerateName = "worker-";

        var first = await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var second = await server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.StartsWith("worker-", first.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
        Assert.NotNull(first.Metadata.Uid);
        Assert.NotNull(first.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task Create_WithUnknownFieldUnderStrictValidation_Returns400NamingTheField()
    {
        await using var server = await TestServer.StartAsync();
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"},"bogus":1}""";

        var strict = await server.Http.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", Json(body));
        var warned = await server.Http.PostAsync("/api/v1/namespaces/default/configmaps", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Contains("strict decoding error: unknown field \"bogus\"", k8s.KubernetesJson.Deserialize<V1Status>(await strict.Content.ReadAsStringAsync()).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, warned.StatusCode);
        Assert.Equal("299 - \"unknown field \\\"bogus\\\"\"", Assert.Single(warned.Headers.GetValues("Warning")));
    }

    [Fact]
    public async Task Create_WithKindOfAnotherResource_Returns400()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Http.PostAsync("/api/v1/namespaces/default/configmaps", Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CreatePod_WithMissingPriorityClass_IsForbiddenAndWithAClassGetsItsPriority()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "train" }, Value = 50 });
        var missing = Objects.Pod("a");
        missing.Spec.PriorityClassName = "nope";
        var known = Objects.Pod("b");
        known.Spec.PriorityClassName = "train";

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodAsync(missing, "default"));
        var created = await server.Client.CoreV1.CreateNamespacedPodAsync(known, "default");

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("no PriorityClass with name nope was found", ListTests.Status(error).Message, StringComparison.Ordinal);
        Assert.Equal((50, "Always", "ClusterFirst"), (created.Spec.Priority, created.Spec.RestartPolicy, created.Spec.DnsPolicy));
    }

    [Fact]
    public async Task UpdatePod_ChangingMoreThanImages_Returns422ButImagesMayChange()
    {
        await using var server = await TestServer.StartAsync();
        var pod = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        pod.Spec.Containers[0].Image = "busybox:1.37";
        var updated = await server.Client.CoreV1.ReplaceNamespacedPodAsync(pod, "p", "default");
        updated.Spec.SchedulerName = "other";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.ReplaceNamespacedPodAsync(updated, "p", "default"));

        Assert.Equal("busybox:1.37", updated.Spec.Containers[0].Image);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Invalid"), (error.Response.StatusCode, ListTests.Status(error).Reason));
    }

    [Fact]
    public async Task UpdatePod_SeededWithoutDefaults_AcceptsAMetadataChangeFromAClientRoundTrip()
    {
        await using var server = await TestServer.StartAsync();
        var seeded = Objects.Pod("seeded");
        seeded.Spec.SchedulerName = null;
        server.Cluster.Load([seeded]);

        var pod = await server.Client.CoreV1.ReadNamespacedPodAsync("seeded", "default");
        pod.Metadata.Annotations = new Dictionary<string, string> { ["pod-group-name"] = "pg-1" };
        var updated = await server.Client.CoreV1.ReplaceNamespacedPodAsync(pod, "seeded", "default");

        Assert.Equal("pg-1", updated.Metadata.Annotations["pod-group-name"]);
    }

    [Fact]
    public async Task Create_WithInvalidName_Returns422()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("Not_Valid"), "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("metadata.name", ListTests.Status(error).Details.Causes[0].Field);
    }

    [Fact]
    public async Task Create_WithDryRun_StoresNothing()
    {
        await using var server = await TestServer.StartAsync();

        var returned = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default", dryRun: "All");

        Assert.Equal("p", returned.Metadata.Name);
        Assert.Empty((await server.Client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    [Fact]
    public async Task Create_WithYamlBody_IsAccepted()
    {
        await using var server = await TestServer.StartAsync();
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  answer: \"42\"\n";

        var response = await server.Http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        var stored = await server.Client.CoreV1.ReadNamespacedConfigMapAsync("from-yaml", "default");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("42", stored.Data["answer"]);
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
