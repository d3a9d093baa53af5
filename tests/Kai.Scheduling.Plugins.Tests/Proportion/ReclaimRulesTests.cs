using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Proportion;

/// <summary>
/// KAI's reclaim rules on their own, over sessions built from an 8-GPU node shared by queues <c>a</c> and
/// <c>b</c>: who may reclaim, which victims a scenario may take, and which groups and queues are left out up front.
/// </summary>
public sealed class ReclaimRulesTests
{
    [Fact]
    public void RejectReclaimer_WhenTheJobKeepsItsQueueWithinFairShare_AllowsIt()
    {
        var session = Open(quotaA: 4, quotaB: 4, runningInB: 4, pendingInA: 2);

        Assert.Null(ReclaimRules.RejectReclaimer(session, Group(session, "job")));
    }

    [Fact]
    public void RejectReclaimer_WhenTheJobWouldTakeItsQueueAboveFairShare_SaysSoWithTheFigures()
    {
        var session = Open(quotaA: 2, quotaB: 6, runningInB: 6, pendingInA: 4, runningInA: 2);

        var rejection = ReclaimRules.RejectReclaimer(session, Group(session, "job"));

        Assert.NotNull(rejection);
        Assert.StartsWith("queue a is not below its fair share", rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectReclaimer_WhenANonPreemptibleJobWouldExceedItsQueuesQuota_SaysSo()
    {
        var session = Open(quotaA: 2, quotaB: 2, runningInB: 6, pendingInA: 3, preemptible: false);

        Assert.Equal("queue a would exceed its quota with non-preemptible workloads", ReclaimRules.RejectReclaimer(session, Group(session, "job")));
    }

    [Fact]
    public void Validate_WhenTheVictimQueueStaysAboveItsQuota_AllowsTheScenario()
    {
        var session = Open(quotaA: 4, quotaB: 4, runningInB: 8, pendingInA: 2);
        var scenario = Scenario(session, evicting: 1);

        Assert.Null(Rules().Validate(session, scenario));
    }

    [Fact]
    public void Validate_WhenTheVictimQueueWouldDropBelowItsFairShareForAReclaimerOverQuota_RejectsIt()
    {
        var session = Open(quotaA: 2, quotaB: 6, runningInB: 8, pendingInA: 4);
        var scenario = Scenario(session, evicting: 2);

        Assert.StartsWith("queue b would drop below its fair share (6 GPUs,", Rules().Validate(session, scenario), StringComparison.Ordinal);
    }

    [Fact]
    public void RejectVictim_WhenTheVictimsQueueIsWithinItsQuota_LeavesItOutUpFront()
    {
        var session = Open(quotaA: 4, quotaB: 4, runningInB: 4, pendingInA: 2);

        Assert.Equal("in queue b, which would drop below its fair share", ReclaimRules.RejectVictim(session, Group(session, "job"), Group(session, "b0")));
        Assert.Equal("in queue b, which would drop below its fair share", ReclaimRules.RejectVictimQueue(session, Group(session, "job"), session.Snapshot.FindQueue("b")));
    }

    [Fact]
    public void RejectVictimQueue_ForTheReclaimersOwnQueue_NeverRejects()
    {
        var session = Open(quotaA: 4, quotaB: 4, runningInB: 4, pendingInA: 2);

        Assert.Null(ReclaimRules.RejectVictimQueue(session, Group(session, "job"), session.Snapshot.FindQueue("a")));
    }

    private static ReclaimRules Rules() => new(saturationMultiplier: 1, allowConsolidatingReclaim: true);

    /// <summary>The scenario in which the reclaimer takes the newest <paramref name="evicting"/> two-GPU pods of queue b.</summary>
    private static EvictionScenario Scenario(Session session, int evicting)
    {
        var victims = Enumerable.Range(0, session.Snapshot.Pods.Count)
            .Where(p => session.Snapshot.Queues[session.Snapshot.QueueOf(session.Snapshot.GroupOf(p))].Name == "b")
            .Reverse()
            .Take(evicting)
            .ToList();
        var start = new VictimSearchStart([.. session.Queues.Allocated], [.. session.Queues.AllocatedNonPreemptible], session.Quantum.InitRequest(Group(session, "job")).QueueResources);
        return new EvictionScenario(Group(session, "job"), victims, [], start);
    }

    /// <summary>
    /// Queues a and b (GPU quotas as given) sharing 8 GPUs: b runs 2-GPU single-pod groups b0.. worth
    /// <paramref name="runningInB"/> GPUs, filling node n1; a runs <paramref name="runningInA"/> GPUs on n2 (the
    /// other GPUs), and a has a pending gang of <paramref name="pendingInA"/> one-GPU pods.
    /// </summary>
    private static Session Open(double quotaA, double quotaB, int runningInB, int pendingInA, int runningInA = 0, bool preemptible = true)
    {
        var cluster = new Cluster()
            .WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(runningInB), A.Node("n2").Gpus(8 - runningInB))
            .With(A.Queue("a").Gpu(quota: quotaA), A.Queue("b").Gpu(quota: quotaB));
        for (var i = 0; i < runningInB / 2; i++)
        {
            cluster.With(A.PodGroup($"b{i}").InQueue("b").Created(A.MinutesAgo(90 - i)).Members(1, gpu: 2, with: p => p.Running("n1")));
        }

        if (runningInA > 0)
        {
            cluster.With(A.PodGroup("a-running").InQueue("a").Created(A.MinutesAgo(90)).Members(runningInA, gpu: 1, with: p => p.Running("n2")));
        }

        cluster.With(A.PodGroup("job").InQueue("a").Preemptible(preemptible).MinMember(pendingInA).Created(A.MinutesAgo(1)).Members(pendingInA, gpu: 1));
        return cluster.Open();
    }

    private static int Group(Session session, string name) => session.Snapshot.FindGroup(A.GroupKey(name));
}
