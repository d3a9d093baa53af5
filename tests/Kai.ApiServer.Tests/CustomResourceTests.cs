using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class CustomResourceTests
{
    private const string Group = "kubeflow.org";
    private const string Plural = "pytorchjobs";

    [Fact]
    public async Task KaiDefinitions_AreInstalledEstablishedAndServed()
    {
        await using var server = await TestServer.StartAsync();

        var definitions = await server.Client.ApiextensionsV1.ListCustomResourceDefinitionAsync();

        Assert.Equal(
            ["bindrequests.scheduling.run.ai", "configs.kai.scheduler", "podgroups.scheduling.run.ai", "queues.scheduling.run.ai", "schedulingshards.kai.scheduler", "topologies.kai.scheduler"],
            definitions.Items.Select(d => d.Metadata.Name));
        Assert.All(definitions.Items, d => Assert.Contains(d.Status.Conditions, c => c.Type == "Established" && c.Status == "True"));
    }

    [Fact]
    public async Task CreateDefinition_ServesTheNewKindAsGenericObjects()
    {
        await using var server = await TestServer.StartAsync();

        var created = await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(PyTorchJobDefinition());
        var discovery = JsonDocument.Parse(await server.Http.GetStringAsync("/apis/kubeflow.org/v1")).RootElement;
        var groups = await server.Client.Apis.GetAPIVersionsAsync();
        await server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job("job-1", replicas: 2), Group, "v1", "default", Plural);
        var read = (JsonElement)await server.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1", "default", Plural, "job-1");
        var listed = (JsonElement)await server.Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, "v1", "default", Plural);

        Assert.Contains(created.Status.Conditions, c => c.Type == "Established");
        Assert.Contains(groups.Groups, g => g.Name == Group);
        Assert.Equal(2, read.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("PyTorchJob", listed.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.Contains(discovery.GetProperty("resources").EnumerateArray(), r => r.GetProperty("name").GetString() == "pytorchjobs/status");
    }

    [Fact]
    public async Task CustomResource_UnknownFieldsArePrunedOrRejectedAndSchemaViolationsAre422()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(PyTorchJobDefinition());
        var withExtra = Job("job-1", replicas: 2);
        ((Dictionary<string, object>)withExtra["spec"])["extra"] = true;

        var strict = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(withExtra, Group, "v1", "default", Plural, fieldValidation: "Strict"));
        var pruned = (JsonElement)await server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(withExtra, Group, "v1", "default", Plural);
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job("job-2", replicas: 0), Group, "v1", "default", Plural));

        Assert.Equal(HttpStatusCode.BadRequest, strict.Response.StatusCode);
        Assert.Contains("unknown field \"spec.extra\"", ListTests.Status(strict).Message, StringComparison.Ordinal);
        Assert.False(pruned.GetProperty("spec").TryGetProperty("extra", out _));
        Assert.Equal("Default", pruned.GetProperty("spec").GetProperty("mode").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
        Assert.Equal("spec.replicas", ListTests.Status(invalid).Details.Causes[0].Field);
    }

    [Fact]
    public async Task PodGroup_WithNegativeMinMember_IsRejectedByKaisSchema()
    {
        await using var server = await TestServer.StartAsync();
        var group = new Kai.Cluster.Crds.PodGroup { Metadata = new V1ObjectMeta { Name = "pg" }, Spec = new Kai.Cluster.Crds.PodGroupSpec { MinMember = -1, Queue = "q" } };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(group, "scheduling.run.ai", "v2alpha2", "default", "podgroups"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal(
            "PodGroup.scheduling.run.ai \"pg\" is invalid: spec.minMember: Invalid value: -1: spec.minMember in body should be greater than or equal to 0",
            ListTests.Status(error).Message);
    }

    [Fact]
    public async Task SchedulingShardAndConfig_AsKaisDocsWriteThem_AreAcceptedByTheChartsCrds()
    {
        await using var server = await TestServer.StartAsync();
        var shard = System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"kai.scheduler/v1","kind":"SchedulingShard","metadata":{"name":"gpu-pool"},
             "spec":{"partitionLabelValue":"gpu","placementStrategy":{"gpu":"spread","cpu":"binpack"},"args":{"default-staleness-grace-period":"-1s"},
                     "queueDepthPerAction":{"reclaim":10},"minRuntime":{"preemptMinRuntime":"5m"},"kValue":1.5,
                     "plugins":{"topology":{"enabled":false},"proportion":{"priority":1800,"arguments":{"kValue":"2"}}},"actions":{"consolidation":{"enabled":false}}}}
            """)!;
        var config = System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"kai.scheduler/v1","kind":"Config","metadata":{"name":"kai-config"},
             "spec":{"namespace":"kai-scheduler","global":{"schedulerName":"kai-scheduler","tolerations":[{"key":"gpu","operator":"Exists"}]},
                     "admission":{"gpuSharing":true},"nodeScaleAdjuster":{"enabled":true}}}
            """)!;

        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(shard, "kai.scheduler", "v1", "schedulingshards");
        await server.Client.CustomObjects.CreateClusterCustomObjectAsync(config, "kai.scheduler", "v1", "configs");

        var read = (JsonElement)await server.Client.CustomObjects.GetClusterCustomObjectAsync("kai.scheduler", "v1", "schedulingshards", "gpu-pool");
        Assert.Equal("spread", read.GetProperty("spec").GetProperty("placementStrategy").GetProperty("gpu").GetString());
        var readConfig = (JsonElement)await server.Client.CustomObjects.GetClusterCustomObjectAsync("kai.scheduler", "v1", "configs", "kai-config");
        Assert.True(readConfig.GetProperty("spec").GetProperty("admission").GetProperty("gpuSharing").GetBoolean());
    }

    [Fact]
    public async Task SchedulingShard_WithUsageDbConfigWithoutClientType_IsRejectedByKaisSchema()
    {
        await using var server = await TestServer.StartAsync();
        var shard = System.Text.Json.Nodes.JsonNode.Parse("""
            {"apiVersion":"kai.scheduler/v1","kind":"SchedulingShard","metadata":{"name":"default"},"spec":{"usageDBConfig":{"connectionString":"http://prometheus:9090"}}}
            """)!;

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.CreateClusterCustomObjectAsync(shard, "kai.scheduler", "v1", "schedulingshards"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("spec.usageDBConfig.clientType", ListTests.Status(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenericStatusSubresource_IsIsolatedFromTheMainResource()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(PyTorchJobDefinition());
        await server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job("job-1", replicas: 2), Group, "v1", "default", Plural);

        await server.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"phase":"Running"},"spec":{"replicas":9}}""", V1Patch.PatchType.MergePatch), Group, "v1", "default", Plural, "job-1");
        await server.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"status":{"phase":"Ignored"},"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), Group, "v1", "default", Plural, "job-1");
        var read = (JsonElement)await server.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1", "default", Plural, "job-1");

        Assert.Equal(3, read.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("Running", read.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task SecondServedVersion_ReadsTheSameObjectsWithItsOwnApiVersion()
    {
        await using var server = await TestServer.StartAsync();
        var definition = PyTorchJobDefinition();
        definition.Spec.Versions.Add(new V1CustomResourceDefinitionVersion { Name = "v2beta1", Served = true, Storage = false, Schema = definition.Spec.Versions[0].Schema });
        await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition);
        await server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job("job-1", replicas: 2), Group, "v1", "default", Plural);

        var viaBeta = (JsonElement)await server.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v2beta1", "default", Plural, "job-1");

        Assert.Equal("kubeflow.org/v2beta1", viaBeta.GetProperty("apiVersion").GetString());
        Assert.Equal(2, viaBeta.GetProperty("spec").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task DeleteDefinition_StopsServingTheKindAndDeletesItsObjects()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(PyTorchJobDefinition());
        await server.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job("job-1", replicas: 2), Group, "v1", "default", Plural);

        await server.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"{Plural}.{Group}");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, "v1", "default", Plural));

        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
        Assert.Empty(server.Cluster.List(server.Cluster.Kinds.Get(new Kai.Cluster.Port.KindKey("kubeflow.org/v1", "PyTorchJob"))).Items);
    }

    [Fact]
    public async Task CreateDefinition_WithNameNotMatchingPluralAndGroup_Returns422()
    {
        await using var server = await TestServer.StartAsync();
        var definition = PyTorchJobDefinition();
        definition.Metadata.Name = "jobs.kubeflow.org";

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
    }

    [Fact]
    public async Task CustomResource_WhenNothingIsPrunedOrDefaulted_IsStoredAsSentAlikeFromJsonAndYaml()
    {
        await using var server = await TestServer.StartAsync();
        await server.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(PyTorchJobDefinition());
        var path = $"/apis/{Group}/v1/namespaces/default/{Plural}";
        using var json = new StringContent("""  {"apiVersion":"kubeflow.org/v1","kind":"PyTorchJob","metadata":{"name":"job-json","labels":{"a":"b"}},"spec":{"replicas":3,"mode":"Elastic"}}""", System.Text.Encoding.UTF8, "application/json");
        using var yaml = new StringContent("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: job-yaml\n  labels:\n    a: b\nspec:\n  replicas: 3\n  mode: Elastic\n", System.Text.Encoding.UTF8, "application/yaml");

        using var fromJson = await server.Http.PostAsync(path, json);
        using var fromYaml = await server.Http.PostAsync(path, yaml);
        var stored = JsonDocument.Parse(await fromJson.Content.ReadAsStringAsync()).RootElement;
        var storedFromYaml = JsonDocument.Parse(await fromYaml.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Created, fromJson.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromYaml.StatusCode);
        Assert.Equal("""{"replicas":3,"mode":"Elastic"}""", stored.GetProperty("spec").GetRawText());
        Assert.Equal(stored.GetProperty("spec").GetRawText(), storedFromYaml.GetProperty("spec").GetRawText());
        Assert.Equal("PyTorchJob", stored.GetProperty("kind").GetString());
        Assert.Equal("b", stored.GetProperty("metadata").GetProperty("labels").GetProperty("a").GetString());
    }

    private static Dictionary<string, object> Job(string name, int replicas) => new()
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["kind"] = "PyTorchJob",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name },
        ["spec"] = new Dictionary<string, object> { ["replicas"] = replicas },
    };

    private static V1CustomResourceDefinition PyTorchJobDefinition() => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{Plural}.{Group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = Group,
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Kind = "PyTorchJob", Plural = Plural, Singular = "pytorchjob", ListKind = "PyTorchJobList" },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new()
                                {
                                    Type = "object",
                                    Properties = new Dictionary<string, V1JSONSchemaProps>
                                    {
                                        ["replicas"] = new() { Type = "integer", Minimum = 1 },
                                        ["mode"] = new() { Type = "string", DefaultProperty = "Default" },
                                    },
                                },
                                ["status"] = new() { Type = "object", XKubernetesPreserveUnknownFields = true },
                            },
                        },
                    },
                },
            ],
        },
    };
}
