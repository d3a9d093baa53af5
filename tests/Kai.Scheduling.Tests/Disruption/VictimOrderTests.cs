using Kai.Scheduling.Configuration;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Victim units and re-placement (spec §2.5, §4.3, §14.9, §14.12): an elastic group above its minimum gives up
/// one pod at a time before gangs at their minimum are touched; a gang goes whole; a victim that fits back on
/// its own node is un-evicted and produces no decision.
/// </summary>
public sealed class VictimOrderTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default.WithoutConsolidation();

    [Fact]
    public void RunCycle_WhenAnElasticGroupIsAboveItsMinimum_ItLosesPodsOneAtATimeBeforeAnyGangIsEvicted()
    {
        // elastic: minimum 2, 4 running (older); gang: minimum 2, 2 running (newer). Equal priority.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(6))
            .With(Workloads.Running("elastic", "q", 2, 1, "n1", "n1", "n1", "n1").Created(A.MinutesAgo(80)))
            .With(A.PodGroup("gang").MinMember(2).Created(A.MinutesAgo(20)).Members(2, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("hi", "q", gpu: 2, priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict elastic-3@n1 for ns/hi", "preempt evict elastic-2@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAnElasticGroupReachesItsMinimum_TheNextGangGoesWholeAndAnUnneededPeeledPodStays()
    {
        // hi needs 3 GPUs: elastic gives elastic-3 and elastic-2 (down to its minimum), then "gang" goes whole
        // (4 GPUs freed). The simulation places hi, cannot place the gang back (1 GPU left), and puts elastic-2
        // back on its own node: it is un-evicted, so only 3 GPUs' worth of pods go.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(6))
            .With(A.PodGroup("elastic").MinMember(2).Created(A.MinutesAgo(80)).Members(4, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("gang").MinMember(2).Created(A.MinutesAgo(20)).Members(2, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("hi", "q", gpu: 3, priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(
            ["preempt evict elastic-3@n1 for ns/hi", "preempt evict gang-1@n1 for ns/hi", "preempt evict gang-0@n1 for ns/hi", "preempt pipeline hi-0@n1"],
            result.Texts());
    }

    [Fact]
    public void RunCycle_WhenOnlyTheOlderVictimsNodeCanHoldThePreemptor_OnlyThatVictimIsEvicted()
    {
        // Victims are tried node by node (spec §4.3): v1 (newest, first in victim order) runs on n1, which the
        // preemptor cannot use; the try on n2 evicts only v2. Evicting the whole prefix (v1 and v2) would let v2
        // move into v1's GPUs and disturb two pods where one does.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2).Label("zone", "b"))
            .With(A.PodGroup("v1").Created(A.MinutesAgo(10)).Members(1, gpu: 2, with: p => p.Running("n1")))
            .With(A.PodGroup("v2").Created(A.MinutesAgo(50)).Members(1, gpu: 2, with: p => p.Running("n2")))
            .With(A.PodGroup("hi").Priority(75).Created(A.MinutesAgo(5)).Members(1, gpu: 2, with: p => p.NodeSelector("zone", "b")))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v2-0@n2 for ns/hi", "preempt pipeline hi-0@n2"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenTheVictimIsAGangAtItsMinimum_ItIsEvictedWhole()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("gang").MinMember(2).Created(A.MinutesAgo(20)).Members(2, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("hi", "q", priority: 75))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict gang-1@n1 for ns/hi", "preempt evict gang-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAVictimFitsBackOnItsOwnNode_ItIsUnEvictedAndHasNoDecision()
    {
        // v1 (newer, n1) is taken first but is of no use: hi must run on zone=b (n2). With v2 (n2, pinned to zone=b)
        // also taken, the simulation places hi on n2 and v1 back on n1: v1 keeps running, only v2 is evicted.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2).Label("zone", "b"))
            .With(A.PodGroup("v1").Created(A.MinutesAgo(10)).Members(1, gpu: 2, with: p => p.Running("n1")))
            .With(A.PodGroup("v2").Created(A.MinutesAgo(50)).Members(1, gpu: 2, with: p => p.NodeSelector("zone", "b").Running("n2")))
            .With(A.PodGroup("hi").Priority(75).Created(A.MinutesAgo(5)).Members(1, gpu: 2, with: p => p.NodeSelector("zone", "b")))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v2-0@n2 for ns/hi", "preempt pipeline hi-0@n2"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenChoosingTheVictimQueue_ItsNextVictimCountsAsAlreadyTaken()
    {
        // qb holds 6 (its next victim, "big", is 4 GPUs), qc holds 5 (next victim 1 GPU); both have a fair share
        // of 5. KAI compares (6 - 4) / 5 with (5 - 1) / 5 and takes from qc; comparing 6 / 5 with 5 / 5 takes big.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(11))
            .With(A.Queue("qa").Gpu(quota: 1), A.Queue("qb").Gpu(quota: 2), A.Queue("qc").Gpu(quota: 2))
            .With(Workloads.RunningSingles("b", 2, "qb", "n1"))
            .With(A.PodGroup("big").InQueue("qb").Created(A.MinutesAgo(10)).Members(1, gpu: 4, with: p => p.Running("n1")))
            .With(Workloads.RunningSingles("c", 5, "qc", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict c4-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAVictimOrderedBeforeThePreemptorCanRetakeItsPlace_TheScenarioFails()
    {
        // Spec §14.10: victims re-place in normal job order. qb's share with its victim back, (1 + 1) / 4, is below
        // qa's (0 + 1) / 1, so the victim is placed first, retakes its GPU, and the reclaimer does not fit.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(2))
            .With(A.Queue("qa").Gpu(quota: 1), A.Queue("qb").Gpu(quota: 4))
            .With(Workloads.RunningSingles("b", 2, "qb", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();

        var result = state.Run(Config);

        // qb holds no more than its fair share, so its pods are not even candidates (they would fail validation).
        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 in queue qb, which would drop below its fair share"], result.Notes("a", ActionKind.Reclaim));
    }
}
