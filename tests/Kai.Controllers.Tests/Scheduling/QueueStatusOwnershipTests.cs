using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Controllers.Tests.Observability;
using Kai.Scheduling.Decisions;
using Queue = Kai.Cluster.Crds.Queue;

namespace Kai.Controllers.Tests.Scheduling;

/// <summary>
/// Queue status has one writer, the queue controller, as in KAI. When the scheduler wrote it too (from its own
/// figures, after every cycle), the two overwrote each other whenever their figures differed.
/// </summary>
public sealed class QueueStatusOwnershipTests
{
    [Fact]
    public async Task RunCycleAsync_WhenAQueueGetsPods_LeavesItsStatusToTheQueueController()
    {
        var (scheduler, cluster) = await Scenarios.StartAsync(Scenarios.BindOne, SchedulerTelemetry.None);
        using var disposeScheduler = scheduler;
        using var queueController = await QueueStatusController.CreateAsync(cluster);

        var outcome = await scheduler.RunCycleAsync();
        await scheduler.FlushStatusAsync();
        var afterCycle = await cluster.GetAsync<Queue>(null, "team");
        var written = await queueController.RunOnceAsync();
        var afterController = await cluster.GetAsync<Queue>(null, "team");

        Assert.Contains(outcome.Result.Decisions, d => d.Kind == DecisionKind.Bind);
        Assert.NotEmpty(outcome.Result.Queues);
        Assert.Null(afterCycle!.Status?.Allocated);
        Assert.Null(afterCycle.Status?.Requested);
        Assert.Equal(1, written);
        Assert.NotNull(afterController!.Status?.Requested);
    }
}
