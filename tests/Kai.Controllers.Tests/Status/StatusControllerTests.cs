using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Status;

namespace Kai.Controllers.Tests.Status;

/// <summary>The PodGroup and Queue status controllers' figures, as KAI's podgroup- and queue-controllers compute them.</summary>
public sealed class StatusControllerTests
{
    [Fact]
    public async Task RunOnceAsync_WhenPodsAreInVariousPhases_CountsRequestedAndAllocatedAsKaiDoes()
    {
        await using var cluster = new TestCluster();
        await GroupAsync(cluster, "train-group", "default-queue", "train");
        await PodAsync(cluster, "running", "train-group", "Running", cpu: "500m", memory: "128Mi", gpuLimit: "1");
        await PodAsync(cluster, "pending", "train-group", "Pending", cpu: "1");
        await PodAsync(cluster, "bound", "train-group", "Pending", cpu: "250m", scheduled: true);
        await PodAsync(cluster, "done", "train-group", "Succeeded", cpu: "8");
        using var controller = await PodGroupStatusController.CreateAsync(cluster.Cluster);

        var written = await controller.RunOnceAsync();

        Assert.Equal(1, written);
        var status = (await cluster.Cluster.GetAsync<PodGroup>("default", "train-group"))!.Status!.ResourcesStatus!;
        Assert.Equal("cpu=1750m memory=128Mi nvidia.com/gpu=1", Text(status.Requested));
        Assert.Equal("cpu=750m memory=128Mi nvidia.com/gpu=1", Text(status.Allocated));
        Assert.Null(status.AllocatedNonPreemptible); // preemptible (train, 50): left as it was
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheGroupIsNonPreemptible_AlsoSetsAllocatedNonPreemptible()
    {
        await using var cluster = new TestCluster();
        await GroupAsync(cluster, "build-group", "default-queue", "build");
        await PodAsync(cluster, "running", "build-group", "Running", cpu: "2");
        using var controller = await PodGroupStatusController.CreateAsync(cluster.Cluster);

        await controller.RunOnceAsync();

        var status = (await cluster.Cluster.GetAsync<PodGroup>("default", "build-group"))!.Status!.ResourcesStatus!;
        Assert.Equal("cpu=2", Text(status.AllocatedNonPreemptible));
    }

    [Fact]
    public async Task RunOnceAsync_WhenPodsShareGpus_CountsTheFractionRequestedTimesDevicesAndAllocatedAsReceived()
    {
        await using var cluster = new TestCluster();
        await cluster.Cluster.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n0", Labels = new Dictionary<string, string> { ["nvidia.com/gpu.memory"] = "80000" } },
        });
        await GroupAsync(cluster, "shared", "default-queue", "train");
        await PodAsync(cluster, "half", "shared", "Running", annotations: new() { ["gpu-fraction"] = "0.5", ["gpu-fraction-num-devices"] = "2", ["received-resource-type"] = "Fraction" });
        await PodAsync(cluster, "memory", "shared", "Running", annotations: new() { ["gpu-memory"] = "20000", ["received-resource-type"] = "Fraction" }, node: "n0");
        using var controller = await PodGroupStatusController.CreateAsync(cluster.Cluster);

        await controller.RunOnceAsync();

        var status = (await cluster.Cluster.GetAsync<PodGroup>("default", "shared"))!.Status!.ResourcesStatus!;
        Assert.Equal("nvidia.com/gpu=1 run.ai/gpu.memory=20k", Text(status.Requested));
        Assert.Equal("nvidia.com/gpu=750m", Text(status.Allocated));
    }

    [Fact]
    public async Task RunOnceAsync_WhenNothingChanged_WritesNothing()
    {
        await using var cluster = new TestCluster();
        await GroupAsync(cluster, "g", "default-queue", "train");
        await PodAsync(cluster, "p", "g", "Running", cpu: "1");
        using var controller = await PodGroupStatusController.CreateAsync(cluster.Cluster);
        await controller.RunOnceAsync();
        var version = cluster.Cluster.ResourceVersion;

        var written = await controller.RunOnceAsync();

        Assert.Equal((0, version), (written, cluster.Cluster.ResourceVersion));
    }

    [Fact]
    public async Task RunOnceAsync_WhenPodGroupsHaveFigures_SumsThemUpTheQueueTree()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: org}
            spec: {resources: {}}
            ---
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: team-a}
            spec: {parentQueue: org, resources: {}}
            ---
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: team-b}
            spec: {parentQueue: org, resources: {}}
            """);
        await GroupAsync(cluster, "a1", "team-a", "train");
        await PodAsync(cluster, "a1-0", "a1", "Running", cpu: "1", gpuLimit: "2");
        await GroupAsync(cluster, "b1", "team-b", "build");
        await PodAsync(cluster, "b1-0", "b1", "Running", cpu: "500m", gpuLimit: "1");
        await PodAsync(cluster, "b1-1", "b1", "Pending", cpu: "500m", gpuLimit: "1");
        using var groups = await PodGroupStatusController.CreateAsync(cluster.Cluster);
        using var queues = await QueueStatusController.CreateAsync(cluster.Cluster);

        await groups.RunOnceAsync();
        await queues.RunOnceAsync();

        var org = (await cluster.Cluster.GetAsync<Queue>(null, "org"))!.Status!;
        Assert.Equal(["team-a", "team-b"], org.ChildQueues);
        Assert.Equal("cpu=1500m nvidia.com/gpu=3", Text(org.Allocated));
        Assert.Equal("cpu=500m nvidia.com/gpu=1", Text(org.AllocatedNonPreemptible));
        Assert.Equal("cpu=2 nvidia.com/gpu=4", Text(org.Requested));
        Assert.Equal("cpu=1 nvidia.com/gpu=2", Text((await cluster.Cluster.GetAsync<Queue>(null, "team-a"))!.Status!.Allocated));
    }

    [Fact]
    public async Task RunOnceAsync_WhenAPodFinishes_LowersTheQueueFigures()
    {
        await using var cluster = new TestCluster();
        await GroupAsync(cluster, "g", "default-queue", "train");
        var pod = await PodAsync(cluster, "p", "g", "Running", cpu: "1");
        using var groups = await PodGroupStatusController.CreateAsync(cluster.Cluster);
        using var queues = await QueueStatusController.CreateAsync(cluster.Cluster);
        await groups.RunOnceAsync();
        await queues.RunOnceAsync();

        await cluster.Cluster.ReplaceStatusAsync(pod with { Status = new V1PodStatus { Phase = "Succeeded" } });
        await groups.RunOnceAsync();
        await queues.RunOnceAsync();

        Assert.Equal(string.Empty, Text((await cluster.Cluster.GetAsync<Queue>(null, "default-parent-queue"))!.Status!.Allocated));
    }

    private static async Task GroupAsync(TestCluster cluster, string name, string queue, string priorityClass) =>
        await cluster.Cluster.CreateAsync(new PodGroup
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new PodGroupSpec { MinMember = 1, Queue = queue, PriorityClassName = priorityClass },
        });

    private static async Task<V1Pod> PodAsync(
        TestCluster cluster,
        string name,
        string group,
        string phase,
        string? cpu = null,
        string? memory = null,
        string? gpuLimit = null,
        bool scheduled = false,
        Dictionary<string, string>? annotations = null,
        string? node = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        annotations ??= [];
        annotations["pod-group-name"] = group;
        var pod = await cluster.Cluster.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Annotations = annotations },
            Spec = new V1PodSpec
            {
                SchedulerName = "kai-scheduler",
                NodeName = node,
                Containers =
                [
                    new V1Container
                    {
                        Name = "main",
                        Resources = new V1ResourceRequirements
                        {
                            Requests = requests,
                            Limits = gpuLimit is null ? null : new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new ResourceQuantity(gpuLimit) },
                        },
                    },
                ],
            },
        });
        var conditions = scheduled ? new List<V1PodCondition> { new() { Type = "PodScheduled", Status = "True" } } : null;
        return await cluster.Cluster.ReplaceStatusAsync(pod with { Status = new V1PodStatus { Phase = phase, Conditions = conditions } });
    }

    private static string Text(IDictionary<string, ResourceQuantity>? list) =>
        string.Join(' ', (list ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
