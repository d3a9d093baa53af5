using System.Net.Http.Headers;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class EventAndTableTests
{
    [Fact]
    public async Task EventsV1_AreTheCoreEventsInTheirOwnShape()
    {
        await using var server = await TestServer.StartAsync();

        await server.Client.EventsV1.CreateNamespacedEventAsync(
            new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = "e1" },
                Regarding = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = "default" },
                Note = "Successfully assigned default/p to n1",
                Reason = "Scheduled",
                Type = "Normal",
                Action = "Binding",
                ReportingController = "kai-scheduler",
                ReportingInstance = "kai-scheduler-0",
                EventTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            },
            "default");
        var core = Assert.Single((await server.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=p")).Items);
        var v1 = Assert.Single((await server.Client.EventsV1.ListNamespacedEventAsync("default", fieldSelector: "regarding.name=p,reportingController=kai-scheduler")).Items);

        Assert.Equal(("Successfully assigned default/p to n1", "kai-scheduler", "Pod"), (core.Message, core.ReportingComponent, core.InvolvedObject.Kind));
        var read = await server.Client.EventsV1.ReadNamespacedEventAsync("e1", "default");
        Assert.Equal("Successfully assigned default/p to n1", v1.Note);
        Assert.Equal(("events.k8s.io/v1", "Binding"), (read.ApiVersion, read.Action));
    }

    [Fact]
    public async Task Table_WhenKubectlAsksForIt_HasThePodColumnsAndRows()
    {
        await using var server = await TestServer.StartAsync();
        await PodSubresourceTests.RunningPodAsync(server, "p", node: "n7");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await server.Http.SendAsync(request);
        var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var columns = table.GetProperty("columnDefinitions").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        var cells = table.GetProperty("rows")[0].GetProperty("cells").EnumerateArray().Select(c => c.ToString()).ToList();

        Assert.Equal("Table", table.GetProperty("kind").GetString());
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], columns);
        Assert.Equal(("p", "1/1", "Running", "n7"), (cells[0], cells[1], cells[2], cells[6]));
        Assert.Equal("PartialObjectMetadata", table.GetProperty("rows")[0].GetProperty("object").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Table_OfACustomResource_UsesTheDefinitionsPrinterColumns()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(
            new Kai.Cluster.Crds.Queue { Metadata = new V1ObjectMeta { Name = "team-a" }, Spec = new Kai.Cluster.Crds.QueueSpec { Priority = 7, ParentQueue = "root", Resources = new Kai.Cluster.Crds.QueueResources() } },
            "scheduling.run.ai", "v2", "queues");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/scheduling.run.ai/v2/queues");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var response = await server.Http.SendAsync(request);
        var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(["Name", "Priority", "Parent", "Children", "DisplayName"], table.GetProperty("columnDefinitions").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["team-a", "7", "root", null, null], table.GetProperty("rows")[0].GetProperty("cells").EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Null ? null : c.ToString()));
    }
}
