using System.Net;
using k8s;
using System.Text.Json;

namespace Kai.ApiServer.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Discovery_WhenAsked_ListsCoreGroupsAndKaiResources()
    {
        await using var server = await TestServer.StartAsync();

        var core = await server.Client.CoreV1.GetAPIResourcesAsync();
        var groups = await server.Client.Apis.GetAPIVersionsAsync();
        var scheduling = JsonDocument.Parse(await server.Http.GetStringAsync("/apis/scheduling.run.ai/v2alpha2"));
        var version = await server.Client.Version.GetCodeAsync();

        Assert.Contains(core.Resources, r => r.Name == "pods" && r.Namespaced && r.ShortNames.Contains("po"));
        Assert.Contains(core.Resources, r => r.Name == "pods/eviction" && r.Group == "policy" && r.Kind == "Eviction");
        Assert.Contains(groups.Groups, g => g.Name == "scheduling.run.ai" && g.Versions.Count == 3 && g.PreferredVersion.Version == "v2");
        Assert.Contains(groups.Groups, g => g.Name == "kai.scheduler");
        Assert.Contains(
            scheduling.RootElement.GetProperty("resources").EnumerateArray(),
            r => r.GetProperty("name").GetString() == "podgroups" && r.GetProperty("shortNames")[0].GetString() == "pg");
        Assert.Equal(("1", "32"), (version.Major, version.Minor));
    }

    [Fact]
    public async Task OpenApiV3_WhenKubectlChecksFieldValidation_EveryPatchNamesItsKindAndTheParameter()
    {
        await using var server = await TestServer.StartAsync();

        var index = JsonDocument.Parse(await server.Http.GetStringAsync("/openapi/v3"));
        var url = index.RootElement.GetProperty("paths").GetProperty("apis/scheduling.run.ai/v2").GetProperty("serverRelativeURL").GetString()!;
        var document = JsonDocument.Parse(await server.Http.GetStringAsync(url));
        var patch = document.RootElement.GetProperty("paths").GetProperty("/apis/scheduling.run.ai/v2/queues/{name}").GetProperty("patch");

        Assert.Equal("Queue", patch.GetProperty("x-kubernetes-group-version-kind").GetProperty("kind").GetString());
        Assert.Contains(patch.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "fieldValidation" && p.GetProperty("in").GetString() == "query");
        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ai.run.scheduling.v2.Queue").GetProperty("properties").TryGetProperty("spec", out _));
    }

    [Fact]
    public async Task UnknownPath_WhenRequested_Returns404Status()
    {
        await using var server = await TestServer.StartAsync();

        var response = await server.Http.GetAsync("/apis/nope.example.com/v1/things");
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(("Status", "NotFound", 404), (status.GetProperty("kind").GetString(), status.GetProperty("reason").GetString(), status.GetProperty("code").GetInt32()));
    }
}
