using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class SelectorTests
{
    [Theory]
    [InlineData("app=web", "a,b")]
    [InlineData("app==web,tier!=db", "a")]
    [InlineData("tier in (db, cache)", "b,c")]
    [InlineData("tier notin (db)", "a,c,d")]
    [InlineData("tier", "a,b,c")]
    [InlineData("!tier", "d")]
    [InlineData("app=web,tier in (db)", "b")]
    public async Task List_WithLabelSelector_KeepsObjectsMeetingEveryRequirement(string selector, string expected)
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("a", labels: new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("b", labels: new Dictionary<string, string> { ["app"] = "web", ["tier"] = "db" }), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("c", labels: new Dictionary<string, string> { ["app"] = "batch", ["tier"] = "cache" }), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("d"), "default");

        var list = await server.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector);

        Assert.Equal(expected.Split(','), list.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_WithFieldSelector_SelectsUnassignedPodsByEmptyNodeName()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("pending"), "default");
        await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("placed", node: "n1"), "default");

        var unassigned = await server.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=,status.phase=Pending");
        var onNode = await server.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName==n1");
        var notOnNode = await server.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName!=n1,metadata.namespace=default");

        Assert.Equal(["pending"], unassigned.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["placed"], onNode.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["pending"], notOnNode.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task List_WithEventFieldSelector_FindsEventsOfTheInvolvedObject()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var (name, pod) in new[] { ("e1", "a"), ("e2", "b") })
        {
            await server.Client.CoreV1.CreateNamespacedEventAsync(
                new Corev1Event { Metadata = new V1ObjectMeta { Name = name }, InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = "default" }, Reason = "Scheduled", Type = "Normal" },
                "default");
        }

        var events = await server.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.kind=Pod,involvedObject.name=b");

        Assert.Equal(["e2"], events.Items.Select(e => e.Metadata.Name));
    }

    [Theory]
    [InlineData("spec.priority=1", "field label not supported: spec.priority")]
    [InlineData("app in (", "unable to parse requirement")]
    public async Task List_WithBadSelector_Returns400(string selector, string message)
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => selector.Contains('(')
            ? server.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector)
            : server.Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: selector));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Contains(message, ListTests.Status(error).Message, StringComparison.Ordinal);
    }
}
