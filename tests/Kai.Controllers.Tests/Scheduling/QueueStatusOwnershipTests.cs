using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Microsoft.Extensions.Time.Testing;
using Queue = Kai.Cluster.Crds.Queue;

namespace Kai.Controllers.Tests.Scheduling;

/// <summary>
/// Queue status has one writer, the queue controller, as in KAI. When the scheduler wrote it too (from its own
/// figures, after every cycle), the two overwrote each other whenever their figures differed.
/// </summary>
public sealed class QueueStatusOwnershipTests
{
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
        metadata: {name: train, namespace: ml}
        spec: {minMember: 1, queue: team-a}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: train-0
          namespace: ml
          annotations: {pod-group-name: train}
          labels: {kai.scheduler/queue: team-a}
        spec:
          schedulerName: kai-scheduler
          containers:
            - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "2"}}}
        """;

    [Fact]
    public async Task RunCycleAsync_WhenAQueueGetsPods_LeavesItsStatusToTheQueueController()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        var manifests = ManifestLoader.LoadText(Scenario, "scenario.yaml");
        Assert.Empty(manifests.Diagnostics);
        cluster.Load(manifests.Objects.Select(o => o.Object));
        using var queueController = await QueueStatusController.CreateAsync(cluster);
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, clock);

        clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await scheduler.RunCycleAsync();
        await scheduler.FlushStatusAsync();
        var afterCycle = await cluster.GetAsync<Queue>(null, "team-a");
        var written = await queueController.RunOnceAsync();
        var afterController = await cluster.GetAsync<Queue>(null, "team-a");

        Assert.Contains(outcome.Result.Decisions, d => d.Kind == DecisionKind.Bind);
        Assert.NotEmpty(outcome.Result.Queues);
        Assert.Null(afterCycle!.Status?.Allocated);
        Assert.Null(afterCycle.Status?.Requested);
        Assert.Equal(1, written);
        Assert.NotNull(afterController!.Status?.Requested);
    }
}
