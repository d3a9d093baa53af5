using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Controllers.Tests.Dra;

/// <summary>
/// The embedded ComputeDomain controller (NVIDIA's ComputeDomain controller and IMEX driver): the domain's claim
/// template, the channel device class, and one channel per GPU node.
/// </summary>
public sealed class ComputeDomainControllerTests
{
    private const string Nodes = """
        apiVersion: v1
        kind: Node
        metadata: {name: gpu-node}
        status:
          allocatable: {cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "8"}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: cpu-node}
        status:
          allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
        ---

        """;

    private const string Domain = """
        apiVersion: resource.nvidia.com/v1beta1
        kind: ComputeDomain
        metadata: {name: imex, namespace: team-a}
        spec:
          numNodes: 1
          channel:
            resourceClaimTemplate: {name: imex-channel-0}
        """;

    [Fact]
    public async Task RunOnceAsync_WhenAComputeDomainIsCreated_MakesItsTemplateTheChannelClassAndAChannelPerGpuNode()
    {
        await using var test = new TestCluster();
        var domain = (await test.ApplyAsync(Nodes + Domain)).Single(o => o is GenericObject);

        await test.RunWorkloadControllersAsync();

        var template = await test.Cluster.GetAsync<V1ResourceClaimTemplate>("team-a", "imex-channel-0");
        Assert.NotNull(template);
        var owner = Assert.Single(template.Metadata.OwnerReferences!);
        Assert.Equal(("ComputeDomain", "imex", domain.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        var request = Assert.Single(template.Spec.Spec.Devices.Requests);
        Assert.Equal(("compute-domain-default-channel.nvidia.com", 1L), (request.Exactly.DeviceClassName, request.Exactly.Count));

        var deviceClass = await test.Cluster.GetAsync<V1DeviceClass>(null, "compute-domain-default-channel.nvidia.com");
        Assert.Equal("device.driver == \"compute-domain.nvidia.com\"", Assert.Single(deviceClass!.Spec.Selectors).Cel.Expression);

        var slice = Assert.Single((await test.Cluster.ListAsync<V1ResourceSlice>()).Items);
        Assert.Equal(("compute-domain.nvidia.com", "gpu-node", "channel-0"), (slice.Spec.Driver, slice.Spec.NodeName, Assert.Single(slice.Spec.Devices).Name));

        var stored = (GenericObject)(await ((IUntypedReads)test.Cluster).GetAsync(WorkloadKinds.ComputeDomain, "team-a", "imex"))!;
        Assert.Equal("Ready", stored.Field("status")?.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RunOnceAsync_WhenTwoDomainsAndAnExistingDeviceClass_KeepsTheClassAndPublishesEachChannelOnce()
    {
        await using var test = new TestCluster();
        const string ExistingClass = """
            apiVersion: resource.k8s.io/v1
            kind: DeviceClass
            metadata: {name: compute-domain-default-channel.nvidia.com, labels: {owner: admin}}
            spec:
              selectors: [{cel: {expression: 'device.driver == "compute-domain.nvidia.com"'}}]
            ---

            """;
        await test.ApplyAsync(Nodes + ExistingClass + Domain + "\n---\n" + Domain.Replace("name: imex,", "name: imex-b,", StringComparison.Ordinal).Replace("imex-channel-0", "imex-channel-b", StringComparison.Ordinal));

        await test.RunWorkloadControllersAsync();

        Assert.Equal("admin", (await test.Cluster.GetAsync<V1DeviceClass>(null, "compute-domain-default-channel.nvidia.com"))!.Metadata.Labels["owner"]);
        Assert.Equal(["imex-channel-0", "imex-channel-b"], (await test.Cluster.ListAsync<V1ResourceClaimTemplate>()).Items.Select(t => t.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Single((await test.Cluster.ListAsync<V1ResourceSlice>()).Items);
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheDomainNamesNoTemplate_WarnsAndCreatesNothing()
    {
        await using var test = new TestCluster();
        await test.ApplyAsync(Nodes + Domain.Replace("resourceClaimTemplate: {name: imex-channel-0}", "resourceClaimTemplate: {}", StringComparison.Ordinal));

        await test.RunWorkloadControllersAsync();

        Assert.Contains("spec.channel.resourceClaimTemplate.name is missing", Assert.Single(await test.EventsAsync("InvalidSpec")), StringComparison.Ordinal);
        Assert.Empty((await test.Cluster.ListAsync<V1ResourceClaimTemplate>()).Items);
        Assert.Empty((await test.Cluster.ListAsync<V1ResourceSlice>()).Items);
    }
}
