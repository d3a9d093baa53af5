using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.GpuSharing;
using Kai.Scheduling.Tests.Builders;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Tests.Devices;

/// <summary>
/// Pods that share GPUs on devices (KAI semantics §8): fractions and GPU memory fill GPU groups, gpupack and gpuspread
/// choose among them, multi-device fractions take the same share on several devices, whole-GPU pods never share a
/// device, and every disruptive action frees and re-uses shares.
/// </summary>
public sealed class SharedGpuScenarioTests
{
    private static readonly SchedulerConfiguration AllocateOnly = SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] };

    [Fact]
    public void RunCycle_WhenThreePodsAskForSixTenthsOfAGpuOnATwoGpuNode_TwoArePlacedOnSeparateDevices()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("a").InQueue("q").Members(1, gpu: 0.6), A.PodGroup("b").InQueue("q").Members(1, gpu: 0.6), A.PodGroup("c").InQueue("q").Members(1, gpu: 0.6))
            .State();

        var result = state.Run(AllocateOnly);

        var binds = result.Decisions.Where(d => d.Kind == DecisionKind.Bind).ToList();
        Assert.Equal(2, binds.Count);
        Assert.All(binds, d => Assert.Equal(GpuGrantKind.Fraction, d.Gpu.Kind));
        Assert.NotEqual(binds[0].Gpu.Groups[0], binds[1].Gpu.Groups[0]);
    }

    [Fact]
    public void RunCycle_WithGpuPack_ASharerJoinsTheFullestGroupThatHasRoom()
    {
        var state = SharedNode().State();

        var result = state.Run(AllocateOnly);

        Assert.Equal(["g-half"], Bind(result, "new").Gpu.Groups);
    }

    [Fact]
    public void RunCycle_WithGpuSpread_ASharerPrefersAnEmptyDevice()
    {
        var plugins = KaiPlugins.DefaultPlugins.Select(p => new PluginEntry(p == GpuPackPlugin.PluginName ? GpuSpreadPlugin.PluginName : p)).ToList();
        var state = SharedNode().State();

        var result = state.Run(AllocateOnly with { Plugins = plugins });

        var groups = Bind(result, "new").Gpu.Groups;
        Assert.Single(groups);
        Assert.DoesNotContain(groups[0], new[] { "g-half", "g-light" });
    }

    [Fact]
    public void RunCycle_WhenAPodAsksForAFractionOfTwoDevices_ItTakesTheShareOnTwoGroupsOfOneNode()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(2))
            .With(A.PodGroup("multi").InQueue("q").Pod("multi-0", p => p.Fraction(0.5, devices: 2)))
            .State();

        var result = state.Run(AllocateOnly);

        var bind = Bind(result, "multi-0");
        Assert.Equal("n2", bind.Node!.Value.Value);
        Assert.Equal(2, bind.Gpu.Groups.Count);
        Assert.Equal(2, bind.Gpu.Count);
    }

    [Fact]
    public void RunCycle_WhenAPodAsksForGpuMemory_ItGoesToTheNodeWhoseDevicesHaveThatMuch()
    {
        var state = new Cluster()
            .With(A.Node("a-small").Gpus(4).GpuMemory(16_000), A.Node("b-large").Gpus(4).GpuMemory(40_000))
            .With(A.PodGroup("mem").InQueue("q").Pod("mem-0", p => p.GpuMemory(20_000)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Equal("b-large", Bind(result, "mem-0").Node!.Value.Value);
    }

    [Fact]
    public void RunCycle_WhenASharerMustStayInOneRack_ItIsPlacedOnADeviceOfThatRack()
    {
        // A topology constraint places the group through node sets: the sharer's device must be chosen there too
        // (it used to reach the session without its GPU groups, and the cycle threw).
        var state = new Cluster().WithTopology("topo", "zone", "rack")
            .With(A.Node("n1").Gpus(2).Label("zone", "z1").Label("rack", "r1"), A.Node("n2").Gpus(2).Label("zone", "z1").Label("rack", "r2"))
            .With(A.PodGroup("shared").InQueue("q").Topology("topo", required: "rack").Members(2, gpu: 0.5))
            .State();

        var result = state.Run(AllocateOnly);

        var binds = result.Decisions.Where(d => d.Kind == DecisionKind.Bind).ToList();
        Assert.Equal(2, binds.Count);
        Assert.All(binds, d => Assert.Equal(GpuGrantKind.Fraction, d.Gpu.Kind));
        Assert.All(binds, d => Assert.Single(d.Gpu.Groups));
        Assert.Single(binds.Select(d => d.Node!.Value.Value).Distinct());
    }

    [Fact]
    public void RunCycle_WhenASharerOfATopologyNamedNowhereIsPending_TheCycleStillRunsAndPlacesTheOthers()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("lost").InQueue("q").Topology("missing", required: "rack").Members(1, gpu: 0.5))
            .With(A.PodGroup("plain").InQueue("q").Members(1, gpu: 0.5))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Contains(result.Decisions, d => d.Kind == DecisionKind.Bind && d.Pod.Name == "plain-0");
    }

    [Fact]
    public void RunCycle_WhenOneDeviceIsPartlyShared_AWholeGpuPodTakesOnlyTheUntouchedDevices()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("sharer").InQueue("q").Created(A.MinutesAgo(60)).Members(1, gpu: 0.2, with: p => p.Running("n1").OnGpuGroups("g1")))
            .With(A.PodGroup("two").InQueue("q").Created(A.MinutesAgo(5)).Members(1, gpu: 2))
            .With(A.PodGroup("one").InQueue("q").Created(A.MinutesAgo(4)).Members(1, gpu: 1))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Equal(["allocate bind one-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAStarvedQueueNeedsAShare_ReclaimEvictsASharerOfTheQueueAboveItsFairShareAndReusesItsDevice()
    {
        // One GPU shared by qb's two half-GPU pods; qa (quota 1) asks for half a GPU.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(1))
            .With(A.Queue("qa").Gpu(quota: 1), A.Queue("qb").Gpu(quota: 0))
            .With(Workloads.RunningSingles("b", 2, "qb", "n1", gpu: 0.5))
            .With(Workloads.Pending("a", "qa", gpu: 0.5))
            .State();

        var result = state.Run(SchedulerConfiguration.Default.WithoutConsolidation());

        Assert.Equal(["reclaim evict b1-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAHigherPriorityPodNeedsAShare_PreemptEvictsALowerPrioritySharerOfItsQueue()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(1))
            .With(Workloads.RunningSingles("low", 2, "q", "n1", gpu: 0.5, priority: 50))
            .With(Workloads.Pending("high", "q", gpu: 0.5, priority: 100))
            .State();

        var result = state.Run(SchedulerConfiguration.Default.WithoutConsolidation());

        Assert.Equal(["preempt evict low1-0@n1 for ns/high", "preempt pipeline high-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenHalfUsedDevicesBlockAWholeGpuPod_ConsolidationMovesASharerNextToTheOther()
    {
        // Two nodes of one GPU, each half used by a preemptible sharer: a whole GPU is free only once they share one.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(1), A.Node("n2").Gpus(1))
            .With(A.PodGroup("s1").InQueue("q").Created(A.MinutesAgo(60)).Members(1, gpu: 0.5, with: p => p.Running("n1").OnGpuGroups("g1")))
            .With(A.PodGroup("s2").InQueue("q").Created(A.MinutesAgo(59)).Members(1, gpu: 0.5, with: p => p.Running("n2").OnGpuGroups("g2")))
            .With(Workloads.Pending("whole", "q", gpu: 1))
            .State();

        var result = state.Run(SchedulerConfiguration.Default);

        var texts = result.Texts();
        Assert.Contains(texts, t => t.StartsWith("consolidation evict s", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("consolidation pipeline whole-0@", StringComparison.Ordinal));
        var moved = result.Decisions.Single(d => d.Kind == DecisionKind.Pipeline && d.Pod.Name.StartsWith('s'));
        Assert.Equal(moved.Pod.Name == "s1-0" ? ["g2"] : ["g1"], moved.Gpu.Groups);
    }

    [Fact]
    public void RunCycle_WhenAGpuMemoryPodWaits_ItsQueueRequestCountsItAsAShareOfTheSmallestPublishedGpu()
    {
        // KAI converts with 100 MiB (its MinNodeGPUMemory is never set): 8000 MiB would count as 80 GPUs. Here it is
        // half of the smallest published GPU (16000 MiB), as it would be on that node (docs/differences-from-kai.md).
        var state = new Cluster()
            .With(A.Node("small").Gpus(4).Cpu("8").GpuMemory(16_000), A.Node("large").Gpus(4).Cpu("8").GpuMemory(40_000))
            .With(A.PodGroup("mem").InQueue("q").Pod("mem-0", p => p.GpuMemory(8_000).Cpu("64")))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
        Assert.Equal(500, result.Queues.Single(q => q.Queue.Name == "q").Requested.Gpu);
    }

    /// <summary>A 3-GPU node with groups half used (g-half) and a fifth used (g-light); a pending 0.3 pod "new".</summary>
    private static Cluster SharedNode() => new Cluster()
        .With(A.Node("n1").Gpus(3))
        .With(A.PodGroup("half").InQueue("q").Created(A.MinutesAgo(60)).Members(1, gpu: 0.5, with: p => p.Running("n1").OnGpuGroups("g-half")))
        .With(A.PodGroup("light").InQueue("q").Created(A.MinutesAgo(59)).Members(1, gpu: 0.2, with: p => p.Running("n1").OnGpuGroups("g-light")))
        .With(A.PodGroup("new").InQueue("q").Created(A.MinutesAgo(5)).Pod("new", p => p.Gpu(0.3)));

    private static SchedulingDecision Bind(CycleResult result, string pod) =>
        result.Decisions.Single(d => d.Kind == DecisionKind.Bind && d.Pod.Name == pod);
}
