using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Stale-gang eviction (spec §1.4, §14.27): a gang with some pods holding resources but fewer than its minimum
/// is stamped when first seen so, evicted whole once the grace period has passed, never with a negative grace
/// period, and its stamp is cleared when it recovers.
/// </summary>
public sealed class StaleGangEvictionTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default;

    [Fact]
    public void RunCycle_WhenAGangIsFirstSeenBelowItsMinimum_ItIsStampedNotEvicted()
    {
        var result = StaleGang().State().Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = A.Now }, result.StaleSince);
        Assert.Empty(result.StaleGroups);
    }

    [Fact]
    public void RunCycle_WhenTheGracePeriodHasNotPassed_TheStampStaysAndNothingIsEvicted()
    {
        var result = StaleGang().State().StaleSince("g", A.Now.AddSeconds(-59)).Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Empty(result.StaleSince);
        Assert.Empty(result.StaleGroups);
    }

    [Fact]
    public void RunCycle_WhenTheGracePeriodHasPassed_EveryRunningPodOfTheGangIsEvicted()
    {
        var result = StaleGang().State().StaleSince("g", A.Now.AddSeconds(-60)).Run(Config);

        const string Cause = "stale since 2025-06-01T11:59:00Z: fewer than its minimum of pods running for longer than 60s";
        Assert.Equal([$"stalegangeviction evict g-0@n1 for {Cause}", $"stalegangeviction evict g-1@n1 for {Cause}"], result.Texts());
        Assert.Equal([A.GroupKey("g")], result.StaleGroups);
    }

    [Fact]
    public void RunCycle_WhenTheGracePeriodIsZero_AGangIsEvictedWhenFirstSeen()
    {
        var result = StaleGang().State().Run(Config with { StalenessGracePeriod = TimeSpan.Zero });

        Assert.Equal(["g-0@n1", "g-1@n1"], result.Evicted());
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = A.Now }, result.StaleSince);
    }

    [Fact]
    public void RunCycle_WhenTheGracePeriodIsNegative_AStaleGangIsNeverEvicted()
    {
        var result = StaleGang().State().StaleSince("g", A.Now.AddHours(-5)).Run(Config with { StalenessGracePeriod = TimeSpan.FromSeconds(-1) });

        Assert.Empty(result.Decisions);
        Assert.Empty(result.StaleGroups);
    }

    [Fact]
    public void RunCycle_WhenAStampedGangRunsItsMinimumAgain_TheStampIsCleared()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.PodGroup("g").MinMember(3).Created(A.MinutesAgo(30)).Members(3, gpu: 1, with: p => p.Running("n1")))
            .State()
            .StaleSince("g", A.Now.AddSeconds(-30));

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = null }, result.StaleSince);
    }

    [Fact]
    public void RunCycle_WhenAStampedGangGetsItsMissingPodPlacedThisCycle_TheStampIsClearedAndNothingIsEvicted()
    {
        // The missing pod fits now: allocate places it, so stale-gang eviction sees a whole gang.
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.PodGroup("g").MinMember(3).Created(A.MinutesAgo(30)).Members(2, gpu: 1, with: p => p.Running("n1")).Members(1, gpu: 1))
            .State()
            .StaleSince("g", A.Now.AddMinutes(-5));

        var result = state.Run(Config);

        Assert.Equal(["allocate bind g-2@n1"], result.Texts());
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = null }, result.StaleSince);
    }

    [Fact]
    public void RunCycle_WhenAGangHasAFinishedPod_ItIsNotStale()
    {
        var state = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.PodGroup("g").MinMember(3).Created(A.MinutesAgo(30))
                .Members(1, gpu: 1, with: p => p.Running("n1"))
                .Members(1, gpu: 1, with: p => p.WithStatus(Model.PodStatus.Succeeded, "n1")))
            .State()
            .StaleSince("g", A.Now.AddMinutes(-5));

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = null }, result.StaleSince);
    }

    [Fact]
    public void Driver_WhenAGangStaysBelowItsMinimum_ItIsStampedThenEvictedAfterTheGracePeriodThenForgotten()
    {
        var driver = new ClusterDriver(Config, StaleGang().State());

        var cycles = driver.Run(5);

        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = A.Now }, cycles[0].Result.StaleSince);
        Assert.Empty(cycles[0].Result.Decisions);
        Assert.Empty(cycles[1].Result.StaleSince);
        Assert.Empty(cycles[1].Result.Decisions);
        Assert.Equal(["g-0@n1", "g-1@n1"], cycles[2].Result.Evicted());
        Assert.Equal([A.GroupKey("g")], cycles[2].Result.StaleGroups);
        Assert.Empty(cycles[3].Result.Decisions);
        Assert.Equal(new Dictionary<PodGroupKey, DateTimeOffset?> { [A.GroupKey("g")] = null }, cycles[4].Result.StaleSince);
        Assert.Equal(["g-2"], driver.State.Pods.Select(p => p.Name));
    }

    [Fact]
    public void RunCycle_WhenAStaleGangsPodWasMovedEarlierInTheCycle_ItIsEvictedOnceFromWhereItRuns()
    {
        // s (minimum 2, one pod running on n1) is stale; consolidation moves s-0 to n2 to make room for p on n1 (w is
        // non-preemptible); with a zero grace period stale-gang eviction then evicts s-0 again, "from n2".
        var state = new Cluster()
            .With(A.Node("n1").Gpus(2), A.Node("n2").Gpus(2))
            .With(A.PodGroup("s").MinMember(2).Created(A.MinutesAgo(30)).Members(1, gpu: 1, with: p => p.Running("n1")).Members(1, gpu: 16))
            .With(A.PodGroup("w").Priority(100).Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
            .With(Workloads.Pending("p", "q", gpu: 2))
            .State();

        var result = state.Run(Config with { StalenessGracePeriod = TimeSpan.Zero });

        Assert.Equal(["s-0@n1"], result.Evicted());
    }

    /// <summary>g: minimum 3, g-0 and g-1 running on n1 (4 GPUs), g-2 pending with 16 GPUs (never fits).</summary>
    private static Cluster StaleGang() => new Cluster()
        .With(A.Node("n1").Gpus(4))
        .With(A.PodGroup("g").MinMember(3).Created(A.MinutesAgo(30)).Members(2, gpu: 1, with: p => p.Running("n1")).Members(1, gpu: 16));
}
