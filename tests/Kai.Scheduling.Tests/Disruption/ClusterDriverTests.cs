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
        Assert.Equal(["ns/a"], cycles[2].Result.StartedGroups);
        Assert.Empty(cycles[3].Result.Decisions);
        Assert.Equal(initial.Now + (3 * ClusterDriver.Period), cycles[3].Input.Now);
        Assert.Equal(cycles[2].Input.Now, driver.State.PodGroups.Single(g => g.Name == "a").LastStartTimestamp);
        Assert.DoesNotContain(driver.State.Pods, p => p.Name == "b7-0");
        Assert.Equal(PodStatus.Running, driver.State.Pods.Single(p => p.Name == "a-0").Status);
    }

    [Fact]
    public void Next_WhenAPodIsEvicted_ItIsReleasingOnItsNodeForOneCycleThenGone()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2))
            .With(A.PodGroup("v").Members(1, gpu: 1, with: p => p.Running("n1")))
            .State();
        var evict = new CycleResult(
            [new(ActionKind.Preempt, Decisions.DecisionKind.Evict, "ns", "v-0", "uid-ns-v-0", "n1", "ns", "v", 1000, "ns/x")],
            [], [], [], new Dictionary<string, DateTimeOffset?>(), [], []);
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
        var nothing = new CycleResult([], [], [], [], new Dictionary<string, DateTimeOffset?>(), [], []);

        var next = ClusterDriver.Next(state, nothing, EvictedPodFate.Recreated, 7);

        var pod = Assert.Single(next.Pods);
        Assert.Equal(("v-0", "uid-ns-v-0~7", PodStatus.Pending, (string?)null), (pod.Name, pod.Uid, pod.Status, pod.NodeName));
    }
}
