using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Reclaim between queues (spec §1.4, §3.5): who may reclaim, the fair-share and deserved-quota strategies
/// checked per chunk against the levelled (first differing) queues, and the "relative order preserved" rule.
/// </summary>
public sealed class ReclaimTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default.WithoutConsolidation();

    [Fact]
    public void RunCycle_WhenSiblingQueueIsAboveItsFairShare_ReclaimEvictsItsNewestPodForTheStarvedQueue()
    {
        // 8 GPUs; fair shares: qa 1 (its request), qb 4 + 3 over quota = 7; qb holds 8.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(quota: 4), A.Queue("qb").Gpu(quota: 4))
            .With(Workloads.RunningSingles("b", 8, "qb", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b7-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenVictimQueueHoldsExactlyItsFairShareAndDeserved_ReclaimTakesNothing()
    {
        // Deserved quotas over-subscribe the 8 GPUs: qa gets 1 (its request), qb 8 - qb is at its fair share and
        // at its quota, so neither strategy lets qa take from it.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(quota: 4), A.Queue("qb").Gpu(quota: 8))
            .With(Workloads.RunningSingles("b", 8, "qb", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 8 in queue qb, which would drop below its fair share"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenReclaimerStaysWithinItsDeservedQuota_ReclaimTakesFromAQueueAboveItsQuotaButAtItsFairShare()
    {
        // qa: quota 2, weight 0, fair share 2. qb: quota 1, fair share 4 = what it holds, so the fair-share
        // strategy fails; the deserved-quota strategy holds (qa 0 + 2 <= 2, qb 4 > 1, then 3 > 1).
        var state = DeservedQuotaCluster(reclaimerQuota: 2, reclaimerWeight: 0).State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b3-0@n1 for ns/a", "reclaim evict b2-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenReclaimerWouldExceedItsDeservedQuota_ReclaimFromAQueueAtItsFairShareIsRefused()
    {
        // Same, but qa's quota is 1: its fair share is still 2 (1 + 1 over quota) so it may try, but only the
        // deserved-quota strategy could take from qb, and qa would be above its quota with the job.
        var state = DeservedQuotaCluster(reclaimerQuota: 1, reclaimerWeight: 1).State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 4 in queue qb, which would drop below its fair share"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenVictimLeafIsAboveItsShareButItsDepartmentIsNot_ReclaimComparesTheDepartmentsAndTakesNothing()
    {
        // org > dA > la and org > dB > lb1, lb2. dB's quota 8 over-subscribes org's 8 GPUs, so dB's fair share
        // is 8 = what lb1 holds; lb1 alone is above its own fair share of 4. Reclaim compares dA with dB.
        var state = ThreeLevelCluster()
            .With(A.PodGroup("huge").InQueue("lb2").Created(A.MinutesAgo(20)).Members(1, gpu: 16))
            .With(Workloads.Pending("a", "la"))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 8 in queue dB, which would drop below its fair share"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenReclaimerIsASiblingLeafInTheSameDepartment_ReclaimComparesTheLeavesAndTakes()
    {
        // lb2 (fair share 1) and lb1 (fair share 7, holds 8) are the levelled queues now.
        var state = ThreeLevelCluster()
            .With(Workloads.Pending("a", "lb2"))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b7-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenReclaimerDepartmentStaysLessSaturatedThanTheVictims_ReclaimTakes()
    {
        // dA with the job: 5 of fair share 4 (1.25); dB after the eviction: 7 of 4 (1.75).
        var state = SaturationCluster(victimPods: 8, victimGpus: 1).State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b7-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenSaturationMultiplierIsAboveOne_ReclaimIsStricter()
    {
        // Spec §3.5: fail if ratioReclaimer > 1 and ratioReclaimer x m >= ratioSibling. 1.25 x 1.5 >= 1.75.
        var state = SaturationCluster(victimPods: 8, victimGpus: 1).State();
        var config = Config.WithProportion(new ProportionOptions { ReclaimerSaturationMultiplier = 1.5 });

        var result = state.Run(config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["queue dA would be more saturated than queue dB in nvidia.com/gpu after reclaiming"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenReclaimerDepartmentWouldBeMoreSaturatedThanTheVictims_RelativeOrderIsPreservedAndNothingIsTaken()
    {
        // dB holds two 4-GPU pods: after one eviction it holds 4 of 4 (1.0) <= dA's 1.25.
        var state = SaturationCluster(victimPods: 2, victimGpus: 4).State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["queue dA would be more saturated than queue dB in nvidia.com/gpu after reclaiming"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenAnElasticReclaimerHasMorePendingPods_ReclaimSolvesOnlyOneQuantumPerCycle()
    {
        // a: 2 pods, minimum 1. Fair shares qa 2, qb 6 (holds 8): one pod per cycle, the next one in the next cycle.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(quota: 4), A.Queue("qb").Gpu(quota: 4))
            .With(Workloads.RunningSingles("b", 8, "qb", "n1"))
            .With(Workloads.Pending("a", "qa", pods: 2, minMember: 1))
            .State();

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b7-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAnElasticReclaimerWouldBeWithinTheSaturationMultiplierOfTheVictims_ReclaimIsRefused()
    {
        // Spec §3.5: fail if ratioReclaimer > 1 and ratioReclaimer x m >= ratioSibling: 1.25 x 1.5 >= 1.75. A
        // multiplier above 1 makes reclaim stricter, not more permissive.
        var state = SaturationCluster(victimPods: 8, victimGpus: 1, reclaimerPods: 2).State();
        var config = Config.WithProportion(new ProportionOptions { ReclaimerSaturationMultiplier = 1.5 });

        var result = state.Run(config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["queue dA would be more saturated than queue dB in nvidia.com/gpu after reclaiming"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenAnElasticReclaimerWouldBeMoreSaturatedThanTheVictims_RelativeOrderIsPreservedAndNothingIsTaken()
    {
        // One pod (1 GPU) per attempt: dA with it 5 of 4 (1.25) >= dB after losing a 4-GPU pod, 4 of 4 (1.0).
        var state = SaturationCluster(victimPods: 2, victimGpus: 4, reclaimerPods: 2).State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["queue dA would be more saturated than queue dB in nvidia.com/gpu after reclaiming"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenAVictimChunkIsLargerThanWhatTheQueueHasAboveItsQuota_ReclaimStillTakesIt()
    {
        // Spec §14.25: the strategy is checked before subtracting each chunk. qb (quota 2, fair share 4)
        // holds a 4-GPU gang plus 1 GPU: 5 > 4 holds before the gang chunk, and qb ends at 1, below its quota.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(quota: 3), A.Queue("qb").Gpu(quota: 2))
            .With(A.PodGroup("gang").InQueue("qb").MinMember(4).Created(A.MinutesAgo(30)).Members(4, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.RunningSingles("b", 1, "qb", "n1"))
            .With(A.PodGroup("other").InQueue("qa").Created(A.MinutesAgo(40)).Members(3, gpu: 1, with: p => p.Running("n1")))
            .With(Workloads.Pending("a", "qa", pods: 1, gpu: 1))
            .State();

        var result = state.Run(Config);

        Assert.Equal(
            ["reclaim evict gang-3@n1 for ns/a", "reclaim evict gang-2@n1 for ns/a", "reclaim evict gang-1@n1 for ns/a", "reclaim evict gang-0@n1 for ns/a", "reclaim pipeline a-0@n1"],
            result.Texts());
    }

    [Fact]
    public void RunCycle_WhenTheOnlyRunningWorkIsInTheReclaimersQueue_ReclaimNotesThatNothingMayBeEvicted()
    {
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(2))
            .With(A.Queue("qa").Gpu(quota: 4))
            .With(Workloads.RunningSingles("v", 1, "qa", "n1"))
            .With(Workloads.Pending("a", "qa", gpu: 2))
            .State();

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 1 in the same queue"], result.Notes("a", ActionKind.Reclaim));
    }

    /// <summary>
    /// n1 (4 GPUs, pool=x) full of qb's pods that must stay there; n2 (4 GPUs) empty; a needs 2 GPUs on pool=x.
    /// qa has queue priority 200 so that, in the simulation, a is placed before qb's victims could retake
    /// their GPUs (otherwise every scenario fails on room, never reaching the validator).
    /// </summary>
    private static Cluster DeservedQuotaCluster(double reclaimerQuota, double reclaimerWeight)
    {
        var cluster = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4).Label("pool", "x"), A.Node("n2").Gpus(4))
            .With(A.Queue("qa").Priority(200).Gpu(quota: reclaimerQuota, weight: reclaimerWeight), A.Queue("qb").Gpu(quota: 1));
        for (var i = 0; i < 4; i++)
        {
            cluster.With(A.PodGroup($"b{i}").InQueue("qb").Created(A.MinutesAgo(90 - i)).Members(1, gpu: 1, with: p => p.NodeSelector("pool", "x").Running("n1")));
        }

        return cluster.With(A.PodGroup("a").InQueue("qa").Created(A.MinutesAgo(5)).Members(1, gpu: 2, with: p => p.NodeSelector("pool", "x")));
    }

    /// <summary>org (open) &gt; dA (quota 4) &gt; la; org &gt; dB (quota 8) &gt; lb1, lb2; leaves quota 0 weight 1; lb1 holds all 8 GPUs.</summary>
    private static Cluster ThreeLevelCluster() => new Cluster().WithoutDefaultQueue()
        .With(A.Node("n1").Gpus(8))
        .With(
            A.Queue("org"),
            A.Queue("dA").Parent("org").Gpu(quota: 4),
            A.Queue("dB").Parent("org").Gpu(quota: 8),
            A.Queue("la").Parent("dA").Gpu(quota: 0),
            A.Queue("lb1").Parent("dB").Gpu(quota: 0),
            A.Queue("lb2").Parent("dB").Gpu(quota: 0))
        .With(Workloads.RunningSingles("b", 8, "lb1", "n1"));

    /// <summary>
    /// 12 GPUs; top-level dA, dB, dC (quota 0, weight 1) each get a fair share of 4. dA: la2 holds 4 GPUs
    /// (non-preemptible), la (fair share 1) wants 1. dB: lb holds 8. dC: lc wants 16 (never fits).
    /// </summary>
    private static Cluster SaturationCluster(int victimPods, double victimGpus, int reclaimerPods = 1) => new Cluster().WithoutDefaultQueue()
        .With(A.Node("n1").Gpus(12))
        .With(
            A.Queue("dA").Gpu(quota: 0),
            A.Queue("dB").Gpu(quota: 0),
            A.Queue("dC").Gpu(quota: 0),
            A.Queue("la").Parent("dA").Gpu(quota: 0),
            A.Queue("la2").Parent("dA").Gpu(quota: 0),
            A.Queue("lb").Parent("dB").Gpu(quota: 0),
            A.Queue("lc").Parent("dC").Gpu(quota: 0))
        .With(A.PodGroup("fixed").InQueue("la2").Priority(100).MinMember(4).Created(A.MinutesAgo(100)).Members(4, gpu: 1, with: p => p.Running("n1")))
        .With(Workloads.RunningSingles("b", victimPods, "lb", "n1", gpu: victimGpus))
        .With(A.PodGroup("huge").InQueue("lc").Created(A.MinutesAgo(20)).Members(1, gpu: 16))
        .With(Workloads.Pending("a", "la", pods: reclaimerPods, minMember: 1));
}
