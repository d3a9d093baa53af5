using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Tests.Builders;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Tests.Devices;

/// <summary>
/// Pods with Dynamic Resource Allocation claims, as the cluster adapter hands them to the engine (claim GPUs as whole
/// GPUs of one pod per claim): an allocated claim pins its pods, a shared claim keeps its pods on one node and counts
/// once, a node without the devices is skipped, and claimed GPUs count in queues and free on eviction.
/// </summary>
public sealed class DraClaimScenarioTests
{
    private static readonly SchedulerConfiguration AllocateOnly = SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] };

    [Fact]
    public void RunCycle_WhenAClaimIsAllocatedOnANode_ItsPodGoesThere()
    {
        var state = new Cluster()
            .With(A.Node("a").Gpus(2).DraDevices(2), A.Node("b").Gpus(2).DraDevices(2))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Claim("ns/c", allocatedNode: "b")))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Equal(["allocate bind p-0@b"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenTwoPodsShareAnUnallocatedClaim_TheyLandOnOneNodeAndItsGpuCountsOnce()
    {
        // Spread placement would put the second pod on the other node; the claim keeps them together. The claim's GPU is
        // in the first pod's request only, so a 1-GPU node holds both.
        var state = new Cluster()
            .With(A.Node("a").Gpus(1).DraDevices(1), A.Node("b").Gpus(1).DraDevices(1))
            .With(A.PodGroup("g").InQueue("q").MinMember(2)
                .Pod("g-0", p => p.Gpu(1).Claim("ns/shared"))
                .Pod("g-1", p => p.Claim("ns/shared")))
            .State();

        var result = state.Run(AllocateOnly.WithPlacement(new Plugins.NodePlacement.NodePlacementOptions { Gpu = PlacementStrategy.Spread, Cpu = PlacementStrategy.Spread }));

        var nodes = result.Decisions.Where(d => d.Kind == DecisionKind.Bind).Select(d => d.Node!.Value.Value).Distinct().ToList();
        Assert.Equal(2, result.Decisions.Count(d => d.Kind == DecisionKind.Bind));
        Assert.Single(nodes);
    }

    [Fact]
    public void RunCycle_WhenNoNodePublishesEnoughDevices_ThePodWaitsWithTheDraReason()
    {
        var state = new Cluster()
            .With(A.Node("a").Gpus(1).DraDevices(1))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Claim("ns/c", devices: 3)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
        Assert.Contains("node a publishes 1 devices of class example-device; resource claim ns/c needs 3", result.Explanation("p").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTheQueueLimitIsBelowTheClaimedGpus_ThePodWaitsOverLimit()
    {
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("a").Gpus(2).DraDevices(2))
            .With(A.Queue("q").Gpu(quota: 1, limit: 1))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Gpu(2).Claim("ns/c", devices: 2)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RunCycle_WhenAClaimHolderIsReclaimed_ItsClaimedGpusGoToTheReclaimer()
    {
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(2).DraDevices(2))
            .With(A.Queue("qa").Gpu(quota: 1), A.Queue("qb").Gpu(quota: 0))
            .With(A.PodGroup("b").InQueue("qb").Created(A.MinutesAgo(60)).Pod("b-0", p => p.Gpu(2).Claim("ns/cb", allocatedNode: "n1").Running("n1")))
            .With(A.PodGroup("a").InQueue("qa").Created(A.MinutesAgo(5)).Pod("a-0", p => p.Gpu(1).Claim("ns/ca")))
            .State();

        var result = state.Run(SchedulerConfiguration.Default.WithoutConsolidation());

        Assert.Equal(["reclaim evict b-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }
}
