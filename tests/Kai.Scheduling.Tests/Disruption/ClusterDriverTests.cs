using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>The multi-cycle driver itself, and the life of a reclaim across cycles (spec §1.6, §14.6).</summary>
public sealed class ClusterDriverTests
{
    [Fact]
    public void Driver_WhenReclaimEvicts_ThePreemptorIsPipelinedAgainWhileTheVictimTerminatesAndBoundOnceItIsGone()
    {
        var initial = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("qa").Gpu(quota: 4), A.Queue("qb").Gpu(quota: 4))
            .With(Workloads.RunningSingles("b", 8, "qb", "n1"))
            .With(Workloads.Pending("a", "qa"))
            .State();
        var driver = new ClusterDriver(SchedulerConfiguration.Default, initial);

        var cycles = driver.Run(4);

        Assert.Equal(["reclaim evict b7-0@n1 for ns/a", "reclaim pipeline a-0@n1"], cycles[0].Result.Texts());
        Assert.Equal(["allocate pipeline a-0@n1"], cycles[1].Result.Texts());
        Assert.Equal(["allocate bind a-0@n1"], cycles[2].Result.Texts());
        Assert.Equal([A.GroupKey("a")], cycles[2].Result.StartedGroups);
        Assert.Empty(cycles[3].Result.Decisions);
        Assert.Equal(initial.Now + (3 * ClusterDriver.Period), cycles[3].Input.Now);
        Assert.Equal(cycles[2].Input.Now, driver.State.PodGroups.Single(g => g.Name == "a").LastStartTimestamp);
        Assert.DoesNotContain(driver.State.Pods, p => p.Name == "b7-0");
        Assert.Equal(PodStatus.Running, driver.State.Pods.Single(p => p.Name == "a-0").Status);
    }

    /// <remarks>
    /// Pipelining is not remembered (spec 1.6); what brings the copy to its new node is its
    /// <c>status.nominatedNodeName</c> and KAI's nominatednode score. Without it the copy would bind back into the room
    /// consolidation made, and consolidation would move it again every third cycle.
    /// </remarks>
    [Fact]
    public void Driver_WhenAMovedPodIsRecreatedAfterItTerminates_ConsolidationDoesNotMoveItForever()
    {
        // n1 (2 GPUs, 4 CPU) is full of CPU: c (75, movable) and c2 (non-preemptible). p wants both GPUs of n1 and
        // 1 CPU. Consolidation moves c to n2; once c is gone its replacement (75) is placed before p (50) and binpack
        // puts it back on n1.
        var initial = new Cluster()
            .With(A.Node("n1").Gpus(2).Cpu("4"), A.Node("n2").Gpus(1).Cpu("4"))
            .With(A.PodGroup("c").Priority(75).Created(A.MinutesAgo(30)).Members(1, cpu: "2", with: p => p.Running("n1")))
            .With(A.PodGroup("c2").Priority(100).Created(A.MinutesAgo(40)).Members(1, cpu: "2", with: p => p.Running("n1")))
            .With(A.PodGroup("p").Created(A.MinutesAgo(5)).Members(1, gpu: 2, cpu: "1"))
            .State();
        var driver = new ClusterDriver(SchedulerConfiguration.Default, initial, EvictedPodFate.Recreated);

        var cycles = driver.Run(9);

        Assert.Equal(1, cycles.Sum(c => c.Result.Evicted().Length));
        Assert.Contains(cycles, c => c.Result.Binds().Contains("p-0@n1"));
    }

    [Fact]
    public void Next_WhenAPodIsEvicted_ItIsReleasingOnItsNodeForOneCycleThenGone()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("v").Members(1, gpu: 1, with: p => p.Running("n1")))
            .State();
        var evict = new CycleResult(
            [new(ActionKind.Preempt, Decisions.DecisionKind.Evict, new PodKey("ns", "v-0"), "uid-ns-v-0", new NodeName("n1"), A.GroupKey("v"), Decisions.GpuGrant.None, Preemptor: A.GroupKey("x"))],
            [], [], [], new Dictionary<PodGroupKey, DateTimeOffset?>(), [], []);
        var nothing = evict with { Decisions = [] };

        var releasing = ClusterDriver.Next(state, evict, EvictedPodFate.Deleted, 1);
        var gone = ClusterDriver.Next(releasing, nothing, EvictedPodFate.Deleted, 2);

        Assert.Equal((PodStatus.Releasing, "n1"), (releasing.Pods[0].Status, releasing.Pods[0].NodeName));
        Assert.Empty(gone.Pods);
    }

    [Fact]
    public void Next_WhenEvictedPodsAreRecreated_APendingPodWithTheSameNameAndANewUidTakesItsPlace()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("v").Members(1, gpu: 1, with: p => p.Releasing("n1")))
            .State();
        var nothing = new CycleResult([], [], [], [], new Dictionary<PodGroupKey, DateTimeOffset?>(), [], []);

        var next = ClusterDriver.Next(state, nothing, EvictedPodFate.Recreated, 7);

        var pod = Assert.Single(next.Pods);
        Assert.Equal(("v-0", "uid-ns-v-0~7", PodStatus.Pending, (string?)null), (pod.Name, pod.Uid, pod.Status, pod.NodeName));
    }
}
