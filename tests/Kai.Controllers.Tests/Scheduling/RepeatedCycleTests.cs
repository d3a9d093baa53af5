using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Scheduling;

/// <summary>A cycle in which nothing changed, after one that asked nothing of the cluster, does not run the engine again.</summary>
public sealed class RepeatedCycleTests
{
    // One 8-GPU node and a pod asking for 16 GPUs: it waits, cycle after cycle.
    private const string Scenario = """
        apiVersion: v1
        kind: Node
        metadata: {name: n1}
        status: {allocatable: {cpu: "64", memory: 512Gi, nvidia.com/gpu: "8", pods: "110"}}
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata: {name: team-a}
        spec:
          resources:
            gpu: {quota: -1, overQuotaWeight: 1, limit: -1}
            cpu: {quota: -1, overQuotaWeight: 1, limit: -1}
            memory: {quota: -1, overQuotaWeight: 1, limit: -1}
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: big, namespace: ml}
        spec: {minMember: 1, queue: team-a}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: big-0
          namespace: ml
          annotations: {pod-group-name: big}
          labels: {kai.scheduler/queue: team-a}
        spec:
          schedulerName: kai-scheduler
          containers:
            - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "16"}}}
        """;

    [Fact]
    public async Task RunCycleAsync_WhenNothingChangedSinceACycleThatChangedNothing_RepeatsItsResult()
    {
        var (cluster, clock) = Load();
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, clock);

        var first = await CycleAsync(scheduler, clock);   // explains; the pod's condition is written after it
        var second = await CycleAsync(scheduler, clock);  // sees the condition it wrote, decides the same, writes nothing new
        var third = await CycleAsync(scheduler, clock);

        Assert.False(first.Repeated);
        Assert.False(second.Repeated);
        Assert.True(third.Repeated);
        Assert.Same(second.Result, third.Result);
        Assert.Equal(3, third.Cycle);
        Assert.Empty(third.Timings.Actions);
        Assert.Single(third.Result.Explanations);
    }

    [Fact]
    public async Task RunCycleAsync_WhenAnObjectChangesAfterARepeatedCycle_RunsTheEngine()
    {
        var (cluster, clock) = Load();
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, clock);
        for (var i = 0; i < 3; i++)
        {
            await CycleAsync(scheduler, clock);
        }

        var node = await cluster.GetAsync<k8s.Models.V1Node>(null, "n1");
        node!.Status.Allocatable["nvidia.com/gpu"] = new k8s.Models.ResourceQuantity("16");
        await cluster.ReplaceStatusAsync(node);
        var outcome = await CycleAsync(scheduler, clock);

        Assert.False(outcome.Repeated);
        Assert.Contains(outcome.Result.Decisions, d => d.Kind == DecisionKind.Bind);
    }

    private static (EmbeddedCluster Cluster, FakeTimeProvider Clock) Load()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        var manifests = ManifestLoader.LoadText(Scenario, "scenario.yaml");
        Assert.Empty(manifests.Diagnostics);
        cluster.Load(manifests.Objects.Select(o => o.Object));
        return (cluster, clock);
    }

    private static async Task<CycleOutcome> CycleAsync(Scheduler scheduler, FakeTimeProvider clock)
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await scheduler.RunCycleAsync();
        await scheduler.FlushStatusAsync();
        return outcome;
    }
}
