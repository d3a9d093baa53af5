using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kai.Cli;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes.Tests.Harness;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// <c>kai run --components admission</c> end to end: kai serve's API on loopback calls the webhooks the admission
/// component serves over HTTPS (<see cref="WebhookCallingAdmission"/> plays the API server's webhook client), and a
/// client writing through the API gets KAI's verdicts.
/// </summary>
public sealed class AdmissionEndToEndTests
{
    [Fact]
    public async Task RunAdmission_WhenObjectsAreWrittenThroughTheApi_RefusesInvalidOnesWithKaisMessageAndMutatesValidPods()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml"), TimeProvider.System);
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();
        var run = KaiCommandLine.RunAsync(
            ["run", "--server", api.Server.Address.ToString(), "--components", "admission", "--webhook-port", "0", "--metrics-port", "-1", "--gpu-sharing"],
            output,
            new LineWriter(),
            stop.Token);
        var served = await output.WaitForLineAsync(l => l.Contains("admission webhooks: ", StringComparison.Ordinal));
        using var webhooks = new WebhookCallingAdmission(new Uri(served[(served.IndexOf("https://", StringComparison.Ordinal))..].Split(' ')[0]));
        api.Server.Cluster.Admission = webhooks;
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = api.Server.Address.ToString() });
        var ct = LiveApi.Timeout();

        var loop = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"spec":{"parentQueue":"default-queue"}}""", V1Patch.PatchType.MergePatch), "scheduling.run.ai", "v2", "queues", "default-parent-queue", cancellationToken: ct));
        var orphan = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateClusterCustomObjectAsync(
            QueueObject("research", parent: "no-such-queue"), "scheduling.run.ai", "v2", "queues", cancellationToken: ct));
        await client.CustomObjects.CreateClusterCustomObjectAsync(QueueObject("research", parent: "default-parent-queue"), "scheduling.run.ai", "v2", "queues", cancellationToken: ct);
        var badShare = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(SharingPod("bad", "1.5"), "default", cancellationToken: ct));
        var good = await client.CoreV1.CreateNamespacedPodAsync(SharingPod("good", "0.5"), "default", cancellationToken: ct);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(LiveApi.Patience));

        Assert.True(webhooks.Calls >= 4, $"the webhooks were called {webhooks.Calls} times");
        Assert.NotEqual(HttpStatusCode.Created, loop.Response.StatusCode);
        Assert.StartsWith("admission webhook \"validating-kai-admission\" denied the request: ", MessageOf(loop), StringComparison.Ordinal);
        Assert.Contains("spec.parentQueue \"default-queue\" makes a loop", MessageOf(loop), StringComparison.Ordinal);
        Assert.Contains("spec.parentQueue \"no-such-queue\" does not exist", MessageOf(orphan), StringComparison.Ordinal);
        Assert.StartsWith("admission webhook \"validating-kai-admission\" denied the request: ", MessageOf(badShare), StringComparison.Ordinal);
        Assert.Contains("gpu-fraction", MessageOf(badShare), StringComparison.Ordinal);
        Assert.EndsWith("-shared-gpu", good.Metadata.Annotations["runai/shared-gpu-configmap"], StringComparison.Ordinal);
        Assert.Contains(good.Spec.Containers[0].Env, e => e.Name == "GPU_PORTION");
        Assert.Equal("nvidia", good.Spec.RuntimeClassName);
    }

    /// <summary>The message of the Status the API server answered with.</summary>
    private static string MessageOf(HttpOperationException error) =>
        System.Text.Json.JsonDocument.Parse(error.Response.Content).RootElement.GetProperty("message").GetString()!;

    private static Queue QueueObject(string name, string parent) => new()
    {
        ApiVersion = "scheduling.run.ai/v2",
        Kind = "Queue",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new QueueSpec { ParentQueue = parent, Resources = new QueueResources() },
    };

    private static V1Pod SharingPod(string name, string fraction) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, Annotations = new Dictionary<string, string> { ["gpu-fraction"] = fraction } },
        Spec = new V1PodSpec { SchedulerName = "kai-scheduler", Containers = [new V1Container { Name = "main", Image = "trainer" }] },
    };
}
