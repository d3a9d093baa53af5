using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kai.ApiServer.Webhooks;
using Kai.Cluster.Crds;
using Kai.Controllers.Admission;

namespace Kai.ApiServer.Tests.Webhooks;

/// <summary>KAI's admission webhooks over HTTPS, as a real API server calls them, and applied by kai serve's API.</summary>
public sealed class AdmissionWebhookServerTests
{
    private static readonly Queue Research = new()
    {
        ApiVersion = "scheduling.run.ai/v2",
        Kind = "Queue",
        Metadata = new V1ObjectMeta { Name = "research" },
        Spec = new QueueSpec(),
    };

    private static async Task<(AdmissionWebhookServer Server, HttpClient Client)> StartAsync()
    {
        var handler = new AdmissionReviewHandler(new KaiAdmission(), _ => ValueTask.FromResult<IReadOnlyList<Queue>>([Research]));
        var server = await AdmissionWebhookServer.StartAsync(handler, new WebhookServerOptions { Address = IPAddress.Loopback, Port = 0 }, TestServer.Timeout());
        // The API server trusts the caBundle of the webhook configuration: here, exactly the served certificate.
        var http = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == server.Certificate.Thumbprint };
        return (server, new HttpClient(http) { BaseAddress = server.Address, Timeout = TestServer.Patience });
    }

    private static JsonObject Review(string operation, JsonNode obj) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject { ["uid"] = "req-1", ["operation"] = operation, ["object"] = obj },
    };

    private static JsonNode Pod(string annotations, string limits = "{}") => JsonNode.Parse(
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"namespace\": \"team-a\", \"annotations\": " + annotations + "}, " +
        "\"spec\": {\"schedulerName\": \"kai-scheduler\", \"containers\": [{\"name\": \"main\", \"image\": \"ubuntu\", \"resources\": {\"limits\": " + limits + "}}]}}")!;

    private static async Task<JsonObject> PostAsync(HttpClient client, string path, JsonObject review)
    {
        using var response = await client.PostAsync(path, new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"), TestServer.Timeout());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>(TestServer.Timeout()))!;
        Assert.Equal("AdmissionReview", answer["kind"]!.GetValue<string>());
        Assert.Equal("req-1", answer["response"]!["uid"]!.GetValue<string>());
        return answer["response"]!.AsObject();
    }

    [Fact]
    public async Task MutatePod_WhenThePodAsksForAGpuShare_AnswersAJsonPatchWithTheSharingMutations()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        var response = await PostAsync(client, AdmissionReviewHandler.MutatePodPath, Review("CREATE", Pod("""{"gpu-fraction": "0.25"}""")));

        Assert.True(response["allowed"]!.GetValue<bool>());
        Assert.Equal("JSONPatch", response["patchType"]!.GetValue<string>());
        var patch = JsonNode.Parse(Convert.FromBase64String(response["patch"]!.GetValue<string>()))!.AsArray();
        Assert.Equal(
            ["/metadata/annotations", "/spec/containers", "/spec/volumes", "/spec/runtimeClassName"],
            patch.Select(op => op!["path"]!.GetValue<string>()));
        Assert.All(patch, op => Assert.Equal("add", op!["op"]!.GetValue<string>()));
        Assert.EndsWith("-shared-gpu", patch[0]!["value"]!["runai/shared-gpu-configmap"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidatePod_WhenAFractionComesWithWholeGpus_DeniesWithKaisReason()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        var response = await PostAsync(client, AdmissionReviewHandler.ValidatePodPath, Review("CREATE", Pod("""{"gpu-fraction": "0.5"}""", """{"nvidia.com/gpu": "1"}""")));

        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(400, response["status"]!["code"]!.GetValue<int>());
        Assert.Contains("asks for both", response["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateQueue_WhenTheParentExistsOrNot_AllowsOrDenies()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;
        JsonNode Queue(string parent) => JsonNode.Parse(
            "{\"apiVersion\": \"scheduling.run.ai/v2\", \"kind\": \"Queue\", \"metadata\": {\"name\": \"team-a\"}, " +
            "\"spec\": {\"parentQueue\": \"" + parent + "\", \"resources\": {\"gpu\": {\"quota\": 1, \"limit\": -1, \"overQuotaWeight\": 1}}}}")!;

        var good = await PostAsync(client, AdmissionReviewHandler.ValidateQueuePath, Review("CREATE", Queue("research")));
        var bad = await PostAsync(client, AdmissionReviewHandler.ValidateQueuePath, Review("UPDATE", Queue("nowhere")));

        Assert.True(good["allowed"]!.GetValue<bool>());
        Assert.False(bad["allowed"]!.GetValue<bool>());
        Assert.Contains("spec.parentQueue \"nowhere\" does not exist", bad["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ToAnUnknownPath_Answers400()
    {
        var (server, client) = await StartAsync();
        await using var _ = server;
        using var __ = client;

        using var response = await client.PostAsync("/validate-everything", new StringContent(Review("CREATE", Pod("{}")).ToJsonString()), TestServer.Timeout());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/validate--v1-pod", await response.Content.ReadAsStringAsync(TestServer.Timeout()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiServer_WhenKaisAdmissionIsOn_RejectsAnInvalidPodAsTheWebhookWould()
    {
        await using var server = await TestServer.StartAsync();
        server.Cluster.Admission = new KaiAdmission();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p", Annotations = new Dictionary<string, string> { ["gpu-fraction"] = "1.5" } },
            Spec = new V1PodSpec { SchedulerName = "kai-scheduler", Containers = [new V1Container { Name = "main", Image = "ubuntu" }] },
        };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Contains("admission webhook \"validating-kai-admission\" denied the request", ListTests.Status(error).Message, StringComparison.Ordinal);
        Assert.Empty(server.Cluster.List(server.Cluster.Kinds.Get<V1Pod>()).Items);
    }
}
