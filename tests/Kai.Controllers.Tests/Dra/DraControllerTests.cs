using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Crds;
using Kai.Controllers.Binding;
using Kai.Controllers.Grouping;
using Kai.Controllers.Dra;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Dra;

/// <summary>Dynamic Resource Allocation on the embedded cluster: claims from templates, allocation at bind, release after the pod.</summary>
public sealed class DraControllerTests
{
    [Fact]
    public async Task SchedulerAndBinder_WhenAPodClaimsAGpu_AllocateADeviceOfItsNodeAndReserveTheClaimForIt()
    {
        var (cluster, time) = await ClusterWithGpuSliceAsync();
        await cluster.CreateAsync(Claim("c0", count: 1));
        await cluster.CreateAsync(PodWithClaim("p0", claimName: "c0"));
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time);
        using var binder = await Binder.CreateAsync(cluster);

        var outcome = await CycleAsync(cluster, scheduler);
        await binder.RunOnceAsync();

        Assert.Contains(outcome.Result.Decisions, d => d.Pod.Name == "p0" && d.Node!.Value.Value == "n0");
        var claim = (await cluster.GetAsync<Resourcev1ResourceClaim>("team-a", "c0"))!;
        var device = Assert.Single(claim.Status.Allocation.Devices.Results);
        Assert.Equal(("gpu.nvidia.com", "n0", "gpu-0"), (device.Driver, device.Pool, device.Device));
        Assert.Equal("p0", Assert.Single(claim.Status.ReservedFor).Name);
        var queue = outcome.Result.Queues.Single(q => q.Queue.Name == "default-queue");
        Assert.Equal(1000, queue.Allocated.Gpu);
    }

    [Fact]
    public async Task Scheduler_WhenAClaimAsksForMoreGpusThanAnyNodeHas_ThePodWaitsWithThatReason()
    {
        var (cluster, time) = await ClusterWithGpuSliceAsync();
        await cluster.CreateAsync(Claim("big", count: 5));
        await cluster.CreateAsync(PodWithClaim("p0", claimName: "big"));
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time);

        var outcome = await CycleAsync(cluster, scheduler);

        Assert.Empty(outcome.Result.Decisions);
        var explanation = Assert.Single(outcome.Result.Explanations);
        Assert.Contains("asks for 5 GPUs; no node publishes more than 2", explanation.FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_WhenAPodNamesATemplate_MakesItsClaimAndRecordsItOnThePod()
    {
        var (cluster, _) = await ClusterWithGpuSliceAsync();
        await cluster.CreateAsync(new V1ResourceClaimTemplate
        {
            Metadata = new V1ObjectMeta { Name = "one-gpu", NamespaceProperty = "team-a" },
            Spec = new V1ResourceClaimTemplateSpec { Spec = Claim("unused", 1).Spec },
        });
        await cluster.CreateAsync(PodWithClaim("p0", templateName: "one-gpu"));
        var controller = new ResourceClaimController(cluster);

        await controller.RunOnceAsync();

        var pod = (await cluster.GetAsync<V1Pod>("team-a", "p0"))!;
        var status = Assert.Single(pod.Status.ResourceClaimStatuses);
        Assert.Equal("p0-gpu", status.ResourceClaimName);
        var claim = (await cluster.GetAsync<Resourcev1ResourceClaim>("team-a", "p0-gpu"))!;
        Assert.Equal("Pod", Assert.Single(claim.Metadata.OwnerReferences).Kind);
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheOnlyPodAClaimIsReservedForIsGone_DeallocatesTheClaim()
    {
        var (cluster, time) = await ClusterWithGpuSliceAsync();
        await cluster.CreateAsync(Claim("c0", count: 1));
        await cluster.CreateAsync(PodWithClaim("p0", claimName: "c0"));
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time);
        using var binder = await Binder.CreateAsync(cluster);
        var controller = new ResourceClaimController(cluster);
        await controller.RunOnceAsync();
        await CycleAsync(cluster, scheduler);
        await binder.RunOnceAsync();

        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);
        await controller.RunOnceAsync();

        var claim = (await cluster.GetAsync<Resourcev1ResourceClaim>("team-a", "c0"))!;
        Assert.Null(claim.Status?.Allocation);
        Assert.Null(claim.Status?.ReservedFor);
    }

    [Fact]
    public async Task SchedulerAndBinder_WhenTwoClaimsWantTheNodesOnlyNic_TheSecondWaitsUntilTheFirstIsFreed()
    {
        var (cluster, time) = await ClusterWithGpuSliceAsync();
        await cluster.CreateAsync(new V1DeviceClass
        {
            Metadata = new V1ObjectMeta { Name = "nic" },
            Spec = new V1DeviceClassSpec { Selectors = [new V1DeviceSelector { Cel = new V1CELDeviceSelector { Expression = "device.driver == 'nic.example.com'" } }] },
        });
        await cluster.CreateAsync(new V1ResourceSlice
        {
            Metadata = new V1ObjectMeta { Name = "n0-nics" },
            Spec = new V1ResourceSliceSpec
            {
                Driver = "nic.example.com",
                NodeName = "n0",
                Pool = new V1ResourcePool { Name = "n0", Generation = 0, ResourceSliceCount = 1 },
                Devices = [new V1Device { Name = "nic-0" }],
            },
        });
        await cluster.CreateAsync(Claim("c0", count: 1, deviceClass: "nic"));
        await cluster.CreateAsync(Claim("c1", count: 1, deviceClass: "nic"));
        await cluster.CreateAsync(PodWithClaim("p0", claimName: "c0"));
        time.Advance(TimeSpan.FromSeconds(1));
        await cluster.CreateAsync(PodWithClaim("p1", claimName: "c1"));
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time);
        using var binder = await Binder.CreateAsync(cluster);
        var controller = new ResourceClaimController(cluster);

        var first = await CycleAsync(cluster, scheduler);
        var beforeTheBinder = await CycleAsync(cluster, scheduler);
        await binder.RunOnceAsync();
        var afterTheBinder = await CycleAsync(cluster, scheduler);

        Assert.Equal(["p0"], first.Result.Decisions.Select(d => d.Pod.Name));
        Assert.Empty(beforeTheBinder.Result.Decisions);
        Assert.Empty(afterTheBinder.Result.Decisions);
        Assert.Contains("node n0 has 0 free devices of class nic; resource claim team-a/c1 needs 1", afterTheBinder.Result.Explanations.Single().FullMessage, StringComparison.Ordinal);
        var device = Assert.Single((await cluster.GetAsync<Resourcev1ResourceClaim>("team-a", "c0"))!.Status.Allocation.Devices.Results);
        Assert.Equal(("nic.example.com", "nic-0"), (device.Driver, device.Device));

        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);
        await controller.RunOnceAsync();
        var afterTheFirstIsGone = await CycleAsync(cluster, scheduler);
        await binder.RunOnceAsync();

        Assert.Equal(["p1"], afterTheFirstIsGone.Result.Decisions.Select(d => d.Pod.Name));
        device = Assert.Single((await cluster.GetAsync<Resourcev1ResourceClaim>("team-a", "c1"))!.Status.Allocation.Devices.Results);
        Assert.Equal(("nic.example.com", "nic-0"), (device.Driver, device.Device));
    }

    private static async Task<(EmbeddedCluster Cluster, FakeTimeProvider Time)> ClusterWithGpuSliceAsync()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = new EmbeddedCluster(time, KaiKinds.CreateRegistry());
        await cluster.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n0" },
            Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["memory"] = new("32Gi"), ["pods"] = new("110") } },
        });
        await cluster.CreateAsync(Queue("default-parent-queue", parent: null));
        await cluster.CreateAsync(Queue("default-queue", parent: "default-parent-queue"));
        await cluster.CreateAsync(new V1DeviceClass { Metadata = new V1ObjectMeta { Name = "gpu.nvidia.com" }, Spec = new V1DeviceClassSpec() });
        await cluster.CreateAsync(new V1ResourceSlice
        {
            Metadata = new V1ObjectMeta { Name = "n0-gpus" },
            Spec = new V1ResourceSliceSpec
            {
                Driver = "gpu.nvidia.com",
                NodeName = "n0",
                Pool = new V1ResourcePool { Name = "n0", Generation = 0, ResourceSliceCount = 1 },
                Devices = [new V1Device { Name = "gpu-0" }, new V1Device { Name = "gpu-1" }],
            },
        });
        return (cluster, time);
    }

    private static Queue Queue(string name, string? parent) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new QueueSpec
        {
            ParentQueue = parent,
            Resources = new QueueResources
            {
                Cpu = new QueueResource { Quota = -1, Limit = -1, OverQuotaWeight = 1 },
                Gpu = new QueueResource { Quota = -1, Limit = -1, OverQuotaWeight = 1 },
                Memory = new QueueResource { Quota = -1, Limit = -1, OverQuotaWeight = 1 },
            },
        },
    };

    /// <summary>Groups the pods (as the pod-grouper would) and runs one scheduling cycle.</summary>
    private static async Task<Kai.Controllers.Scheduling.CycleOutcome> CycleAsync(EmbeddedCluster cluster, Scheduler scheduler)
    {
        using var grouper = await PodGrouper.CreateAsync(cluster);
        await grouper.RunOnceAsync();
        return await scheduler.RunCycleAsync();
    }

    private static Resourcev1ResourceClaim Claim(string name, long count, string deviceClass = "gpu.nvidia.com") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "default-queue" } },
        Spec = new V1ResourceClaimSpec
        {
            Devices = new V1DeviceClaim { Requests = [new V1DeviceRequest { Name = "gpu", Exactly = new V1ExactDeviceRequest { DeviceClassName = deviceClass, AllocationMode = "ExactCount", Count = count } }] },
        },
    };

    private static V1Pod PodWithClaim(string name, string? claimName = null, string? templateName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "default-queue" } },
        Spec = new V1PodSpec
        {
            SchedulerName = "kai-scheduler",
            Containers = [new V1Container { Name = "main", Image = "busybox", Resources = new V1ResourceRequirements { Claims = [new Corev1ResourceClaim { Name = "gpu" }] } }],
            ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = claimName, ResourceClaimTemplateName = templateName }],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };
}
