using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Controllers.Binding;
using Kai.Controllers.Grouping;
using Kai.Controllers.ScaleAdjust;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.ScaleAdjust;

/// <summary>
/// The node-scale-adjuster on the embedded cluster with the real pod-grouper, scheduler and binder: GPU-sharing pods
/// the scheduler marks unschedulable get whole-GPU scaling pods, which go once the pods are placed.
/// </summary>
public sealed class NodeScaleAdjusterTests
{
    private const string ScaleNamespace = "kai-scale-adjust";

    [Fact]
    public async Task RunOnceAsync_WhenSharingPodsAreUnschedulable_CreatesScalingPodsForTheWholeGpusTheyAddUpTo()
    {
        await using var run = await Run.StartAsync();
        await run.Cluster.CreateAsync(SharingPod("a", fraction: "0.5", cpu: "500m", memory: "1Gi"));
        await run.Cluster.CreateAsync(SharingPod("b", fraction: "0.5"));
        await run.Cluster.CreateAsync(SharingPod("c", fraction: "0.3", devices: "2"));

        await run.ScheduleAsync();
        var changed = await run.Adjuster.RunOnceAsync();

        // 0.5 + 0.5 + 0.3 x 2 = 1.6, so 2 GPUs: a and b get one each; c shares 2 devices, more than the largest (1).
        Assert.Equal(3, changed);
        var scaling = await run.ScalingPodsAsync();
        Assert.Equal(["team-a-a", "team-a-b", "team-a-c"], scaling.Select(p => p.Metadata.Name));
        Assert.Equal(["1", "1", "2"], scaling.Select(p => p.Spec.Containers[0].Resources.Requests["nvidia.com/gpu"].ToString()));
        var first = scaling[0];
        Assert.Equal(("500m", "1Gi"), (first.Spec.Containers[0].Resources.Requests["cpu"].ToString(), first.Spec.Containers[0].Resources.Requests["memory"].ToString()));
        Assert.Equal("1", first.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal(("scaling-pod", "a", "team-a"), (first.Metadata.Labels["app"], first.Metadata.Labels["shared-gpu-pod-name"], first.Metadata.Labels["shared-gpu-pod-namespace"]));
        Assert.Null(first.Spec.SchedulerName);
        Assert.Equal(new Dictionary<string, string> { ["gpu-type"] = "a100" }, first.Spec.NodeSelector);
        var condition = Assert.Single(first.Status.Conditions);
        Assert.Equal(("PodScheduled", "False", "Unschedulable"), (condition.Type, condition.Status, condition.Reason));
    }

    [Fact]
    public async Task RunOnceAsync_WhenScalingPodsAlreadyAskForEnough_CreatesNoMore()
    {
        await using var run = await Run.StartAsync();
        await run.Cluster.CreateAsync(SharingPod("a", fraction: "0.5"));
        await run.ScheduleAsync();
        await run.Adjuster.RunOnceAsync();
        await run.Cluster.CreateAsync(SharingPod("b", fraction: "0.4"));

        await run.ScheduleAsync();
        var changed = await run.Adjuster.RunOnceAsync();

        // 0.5 + 0.4 = 0.9: the one GPU of a's scaling pod covers b too.
        Assert.Equal(0, changed);
        Assert.Equal(["team-a-a"], (await run.ScalingPodsAsync()).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task RunOnceAsync_WhenThePodsArePlaced_DeletesTheScalingPodsAndCoolsDown()
    {
        await using var run = await Run.StartAsync();
        await run.Cluster.CreateAsync(SharingPod("a", fraction: "0.5"));
        await run.ScheduleAsync();
        await run.Adjuster.RunOnceAsync();
        await run.Cluster.CreateAsync(Node("gpu-2", gpus: 8, gpuType: "a100")); // the autoscaler's new node

        await run.ScheduleAsync();
        await run.ScheduleAsync();
        var changed = await run.Adjuster.RunOnceAsync();

        Assert.Equal(1, changed);
        Assert.Empty(await run.ScalingPodsAsync());
        Assert.Equal("gpu-2", (await run.Cluster.GetAsync<V1Pod>("team-a", "a"))!.Spec.NodeName);

        // Within the 60 s cool-down a new unschedulable pod gets no scaling pod; after it, it does.
        await run.Cluster.CreateAsync(SharingPod("big", fraction: "0.9", devices: "9"));
        await run.ScheduleAsync();
        Assert.Equal(0, await run.Adjuster.RunOnceAsync());
        run.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await run.Adjuster.RunOnceAsync());
        Assert.Equal("9", Assert.Single(await run.ScalingPodsAsync()).Spec.Containers[0].Resources.Requests["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheUnschedulablePodIsDeleted_DeletesItsScalingPod()
    {
        await using var run = await Run.StartAsync();
        await run.Cluster.CreateAsync(SharingPod("a", fraction: "0.5"));
        await run.ScheduleAsync();
        await run.Adjuster.RunOnceAsync();

        await run.Cluster.DeleteAsync<V1Pod>("team-a", "a", gracePeriodSeconds: 0);
        var changed = await run.Adjuster.RunOnceAsync();

        Assert.Equal(1, changed);
        Assert.Empty(await run.ScalingPodsAsync());
    }

    [Fact]
    public async Task RunOnceAsync_WhenWholeGpuPodsAreUnschedulable_LeavesThemToTheAutoscaler()
    {
        await using var run = await Run.StartAsync();
        var whole = TestCluster.KaiPod("whole", gpus: 4);
        whole.Metadata.Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "default-queue" };
        await run.Cluster.CreateAsync(whole);

        await run.ScheduleAsync();

        Assert.Equal(0, await run.Adjuster.RunOnceAsync());
        Assert.Empty(await run.ScalingPodsAsync());
    }

    private static V1Pod SharingPod(string name, string fraction, string? devices = null, string? cpu = null, string? memory = null)
    {
        var annotations = new Dictionary<string, string> { ["gpu-fraction"] = fraction };
        if (devices is not null)
        {
            annotations["gpu-fraction-num-devices"] = devices;
        }

        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Annotations = annotations, Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "default-queue" } },
            Spec = new V1PodSpec
            {
                SchedulerName = "kai-scheduler",
                NodeSelector = new Dictionary<string, string> { ["gpu-type"] = "a100" },
                Containers = [new V1Container { Name = "main", Image = "trainer", Resources = new V1ResourceRequirements { Requests = requests } }],
            },
        };
    }

    private static V1Node Node(string name, int gpus, string gpuType) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["gpu-type"] = gpuType } },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new($"{gpus}"), ["cpu"] = new("32"), ["memory"] = new("128Gi"), ["pods"] = new("110") },
        },
    };

    /// <summary>An embedded cluster with one full GPU node, the pod-grouper, scheduler, binder and the adjuster.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private Run(FakeTimeProvider time, EmbeddedCluster cluster, PodGrouper grouper, Scheduler scheduler, Binder binder, NodeScaleAdjuster adjuster)
        {
            (Time, Cluster, Grouper, Scheduler, Binder, Adjuster) = (time, cluster, grouper, scheduler, binder, adjuster);
        }

        public FakeTimeProvider Time { get; }

        public EmbeddedCluster Cluster { get; }

        public PodGrouper Grouper { get; }

        public Scheduler Scheduler { get; }

        public Binder Binder { get; }

        public NodeScaleAdjuster Adjuster { get; }

        public static async Task<Run> StartAsync()
        {
            var time = new FakeTimeProvider(TestCluster.Epoch);
            var cluster = TestCluster.Create(time);
            cluster.Load(FreshInstall.ObjectsMissingFrom([]));
            await cluster.CreateAsync(Node("gpu-1", gpus: 1, gpuType: "a100"));
            var filler = TestCluster.KaiPod("filler", gpus: 1);
            filler.Spec.NodeName = "gpu-1";
            await cluster.CreateAsync(filler);
            return new Run(
                time,
                cluster,
                await PodGrouper.CreateAsync(cluster),
                await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time),
                await Binder.CreateAsync(cluster, time, BinderOptions.Default),
                await NodeScaleAdjuster.CreateAsync(cluster, new NodeScaleAdjusterOptions(), time));
        }

        /// <summary>Groups, schedules (writing the pods' conditions) and binds once.</summary>
        public async Task ScheduleAsync()
        {
            await Grouper.RunOnceAsync();
            await Scheduler.RunCycleAsync();
            await Scheduler.FlushStatusAsync();
            await Binder.RunOnceAsync();
        }

        public async Task<IReadOnlyList<V1Pod>> ScalingPodsAsync() =>
            [.. (await Cluster.ListAsync<V1Pod>()).Items.Where(p => p.Metadata.NamespaceProperty == ScaleNamespace).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)];

        public ValueTask DisposeAsync()
        {
            Adjuster.Dispose();
            Binder.Dispose();
            Scheduler.Dispose();
            Grouper.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
