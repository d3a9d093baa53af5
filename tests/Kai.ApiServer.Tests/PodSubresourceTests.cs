using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class PodSubresourceTests
{
    [Fact]
    public async Task Bind_WhenPodIsPending_Answers201AndSetsNodeAndScheduledCondition()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        var response = await server.Http.PostAsync(
            "/api/v1/namespaces/default/pods/p/binding",
            WriteTests.Json("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p","namespace":"default"},"target":{"apiVersion":"v1","kind":"Node","name":"n1"}}"""));
        var pod = await server.Client.CoreV1.ReadNamespacedPodAsync("p", "default");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("\"status\":\"Success\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");
    }

    [Fact]
    public async Task Bind_ThroughTheClient_BindsOnceThenConflicts()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");
        var binding = new V1Binding { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" }, Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = "n1" } };

        await server.Client.CoreV1.CreateNamespacedPodBindingAsync(binding, "p", "default");
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodBindingAsync(binding, "p", "default"));
        binding.Metadata.Name = "nope";
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodBindingAsync(binding, "nope", "default"));

        Assert.Equal((HttpStatusCode.Conflict, "Conflict"), (again.Response.StatusCode, ListTests.Status(again).Reason));
        Assert.Contains("already assigned to node \"n1\"", ListTests.Status(again).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Evict_WhenTheBudgetAllowsNoDisruption_Returns429WithDisruptionBudgetCause()
    {
        await using var server = await TestServer.StartAsync();
        await RunningPodAsync(server, "only");
        await server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget(minAvailable: 1), "default");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("only"), "only", "default"));

        var status = ListTests.Status(error);
        Assert.Equal(429, (int)error.Response.StatusCode);
        Assert.Equal("TooManyRequests", status.Reason);
        Assert.Equal("DisruptionBudget", status.Details.Causes[0].Reason);
        Assert.Null((await server.Client.CoreV1.ReadNamespacedPodAsync("only", "default")).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Evict_WhenTheBudgetAllowsOne_EvictsOnePodGracefullyAndRefusesTheNext()
    {
        await using var server = await TestServer.StartAsync();
        await RunningPodAsync(server, "a");
        await RunningPodAsync(server, "b");
        await server.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget(minAvailable: 1), "default");

        await server.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("a"), "a", "default");
        var second = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("b"), "b", "default"));
        var evicted = await server.Client.CoreV1.ReadNamespacedPodAsync("a", "default");
        var budget = await server.Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("budget", "default");

        Assert.NotNull(evicted.Metadata.DeletionTimestamp);
        Assert.Equal(429, (int)second.Response.StatusCode);
        Assert.Equal((0, 2, 1), (budget.Status.DisruptionsAllowed, budget.Status.CurrentHealthy, budget.Status.DesiredHealthy));
        Assert.True(budget.Status.DisruptedPods.ContainsKey("a"));
    }

    [Fact]
    public async Task Evict_WhenNoBudgetSelectsThePod_DeletesItAnd201()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("pending"), "default");

        var response = await server.Http.PostAsync("/api/v1/namespaces/default/pods/pending/eviction", WriteTests.Json("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"pending","namespace":"default"}}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty((await server.Client.CoreV1.ListNamespacedPodAsync("default")).Items);
    }

    internal static async Task<V1Pod> RunningPodAsync(TestServer server, string name, string node = "n1")
    {
        var pod = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod(name, labels: new Dictionary<string, string> { ["app"] = "web" }), "default");
        await server.Client.CoreV1.CreateNamespacedPodBindingAsync(
            new V1Binding { Metadata = new V1ObjectMeta { Name = name }, Target = new V1ObjectReference { Kind = "Node", Name = node } }, name, "default");
        pod = await server.Client.CoreV1.ReadNamespacedPodAsync(name, "default");
        pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        return await server.Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
    }

    private static V1PodDisruptionBudget Budget(int minAvailable) => new()
    {
        Metadata = new V1ObjectMeta { Name = "budget" },
        Spec = new V1PodDisruptionBudgetSpec { MinAvailable = minAvailable, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
    };

    private static V1Eviction Eviction(string pod) => new() { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "default" } };
}
