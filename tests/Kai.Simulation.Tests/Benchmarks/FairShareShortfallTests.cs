using Kai.Scheduling;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Simulation.Benchmarks;

namespace Kai.Simulation.Tests.Benchmarks;

/// <summary>The bench's fairness outcome: leaf queues with pending GPU requests below their GPU fair share, and what they lack.</summary>
public sealed class FairShareShortfallTests
{
    [Fact]
    public void Of_CountsOnlyLeavesAskingForMoreGpusThanTheyHoldAndHoldingLessThanTheirShare()
    {
        var queues = new List<QueueFigures>
        {
            // The department lacks GPUs too, but it is no leaf.
            Figures("dept", null, fairShare: 10, allocated: 4, requested: 12),
            Figures("lacking", "dept", fairShare: 4, allocated: 1.5, requested: 6),
            Figures("lacking-too", "dept", fairShare: 3, allocated: 2, requested: 2.5),
            Figures("below-but-asks-nothing-more", "dept", fairShare: 2, allocated: 0.5, requested: 0.5),
            Figures("at-its-share", "dept", fairShare: 1, allocated: 1, requested: 3),
        };

        var shortfall = FairShareShortfall.Of(queues);

        Assert.Equal(new FairShareShortfall(2, 3.5), shortfall);
    }

    [Fact]
    public async Task RunAsync_AReclaimingCluster_ReportsTheLastCyclesShortfallFromItsQueues()
    {
        var result = await CycleBenchmark.RunAsync(new BenchmarkSpec(Nodes: 12, PendingPods: 60, Seed: 3, Pods: 400, Cycles: 2, Churn: 0.02), Scheduling.Configuration.SchedulerConfiguration.Default);

        var last = result.Last.BelowFairShare;
        Assert.Same(result.Cycles[1], result.Last);
        Assert.True(last.Queues >= 0 && last.Gpus >= 0, $"{last}");
        Assert.Equal(last.Queues == 0, last.Gpus == 0);
    }

    private static QueueFigures Figures(string name, string? parent, double fairShare, double allocated, double requested) =>
        new(
            new QueueKey(name),
            parent is null ? null : new QueueKey(parent),
            ResourceVector.Gpus(fairShare),
            ResourceVector.Gpus(allocated),
            ResourceVector.Zero,
            ResourceVector.Gpus(requested),
            new Queue { Name = name });
}
