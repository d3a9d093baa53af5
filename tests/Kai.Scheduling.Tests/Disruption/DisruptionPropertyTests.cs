using System.Text;
using CsCheck;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Tests.Builders;
using Xunit.Sdk;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// Invariants of the disruptive actions over random full clusters, checked after every cycle of a multi-cycle
/// run (<see cref="ClusterDriver"/>): each world is run for <see cref="Cycles"/> cycles and every check must
/// hold after each of them.
/// </summary>
public sealed class DisruptionPropertyTests
{
    private const int Iterations = 120;
    private const int Cycles = 5;

    /// <summary>Mostly general worlds; one in four made for consolidation (fragmented GPUs).</summary>
    private static readonly Gen<DisruptionWorld> Worlds = Gen.OneOf(DisruptionWorld.Gen(), DisruptionWorld.Gen(), DisruptionWorld.Gen(), DisruptionWorld.FragmentedGen());

    [Fact]
    public void RunCycles_OnRandomClusters_NeverEvictWithoutPlacingThePreemptorInTheSameStatement()
    {
        Check(DisruptionInvariants.EvictionsComeWithTheirPreemptor);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_PreemptNeverCrossesQueuesNorTakesEqualHigherOrNonPreemptibleWork()
    {
        Check(DisruptionInvariants.PreemptTakesOnlyLowerPriorityInItsQueue);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_ReclaimTakesOnlyPreemptibleWorkOfOtherQueues()
    {
        Check(DisruptionInvariants.ReclaimTakesOnlyPreemptibleWorkOfOtherQueues);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_ReclaimNeverTakesFromAQueueWithinBothItsFairShareAndDeservedQuota()
    {
        Check((cycle, config) => DisruptionInvariants.ReclaimTakesOnlyFromQueuesAboveTheirShareOrQuota(cycle, config.AllowConsolidatingReclaim, checkReclaimerQuota: false));
    }

    [Fact]
    public void RunCycles_OnRandomClusters_ReclaimTakesFromAQueueAtItsFairShareOnlyForAReclaimerStayingWithinItsQuota()
    {
        // Pinned seed: l21 (holding 0) reclaims a 2-GPU pod from l22 (fair share 2, holding 2, quota 0) though l21 would
        // exceed its deserved quota with the job.
        Check((cycle, config) => DisruptionInvariants.ReclaimTakesOnlyFromQueuesAboveTheirShareOrQuota(cycle, config.AllowConsolidatingReclaim), seed: "8uZHc7rH3Ag2");
    }

    [Fact]
    public void RunCycles_OnRandomClusters_ConsolidationNeverLowersTheNumberOfRunningPods()
    {
        Check((cycle, config) => DisruptionInvariants.ConsolidationKeepsEveryPodRunning(cycle, config.MaxConsolidationPreemptees));
    }

    [Fact]
    public void RunCycles_OnRandomClusters_NeverEvictPodsOfGroupsPlacedEarlierInTheCycle()
    {
        Check(DisruptionInvariants.VictimsAreRunningGroupsUntouchedThisCycle);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_NeverTakeProtectedGroupsWithinTheirMinRuntime()
    {
        Check((cycle, config) => DisruptionInvariants.MinRuntimeProtectsRecentlyStartedGroups(cycle, config.MinRuntime()));
    }

    [Fact]
    public void RunCycles_OnRandomClusters_NeverSplitAVictimGangBelowItsMinimum()
    {
        Check(DisruptionInvariants.VictimGangsAreNeverSplitBelowTheirMinimum);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_EvictStaleGangsOnlyAfterTheGracePeriod()
    {
        Check((cycle, config) => DisruptionInvariants.StaleGangsAreEvictedOnlyAfterTheGracePeriod(cycle, config.StalenessGracePeriod));
    }

    [Fact]
    public void RunCycles_OnRandomClusters_KeepNodesQueueLimitsAndGangMinimums()
    {
        Check(cycle => [
            .. DisruptionInvariants.NoNodeIsOverCommitted(cycle),
            .. DisruptionInvariants.NoQueueGoesAboveItsLimit(cycle),
            .. DisruptionInvariants.NoGangIsPlacedBelowItsMinimum(cycle)]);
    }

    [Fact]
    public void RunCycles_OnRandomClusters_EvictEachPodAtMostOncePerCycle()
    {
        // Pinned seed: preempt moves the four pods of a stale gang and stale-gang eviction (grace 0) evicts them again.
        Check(DisruptionInvariants.NoPodIsEvictedTwice, seed: "4os9z0WIlGE2");
    }

    [Fact]
    public void RunCycles_OnTheSameCluster_DecideTheSameInEveryCycle()
    {
        Worlds.Sample(
            world =>
            {
                var first = new ClusterDriver(world.Configuration, world.State).Run(Cycles);
                var second = new ClusterDriver(world.Configuration, world.State).Run(Cycles);
                for (var i = 0; i < Cycles; i++)
                {
                    Assert.Equal(first[i].Result.Decisions, second[i].Result.Decisions);
                    Assert.Equal(first[i].Result.Explanations, second[i].Result.Explanations);
                    Assert.Equal(first[i].Result.StaleSince, second[i].Result.StaleSince);
                    Assert.Equal(first[i].Result.StartedGroups, second[i].Result.StartedGroups);
                }
            },
            iter: Iterations / 3);
    }

    [Fact]
    public void RunCycles_AfterACycleWithNothingLeftToPlace_EvictNothingMore()
    {
        // Without min-runtimes and stale-gang eviction, a cycle's outcome depends on the cluster only. Once a cycle
        // places nothing (nothing pending can be placed), later cycles must not start evicting: no ping-pong.
        DisruptionWorld.Gen(timeBased: false).Sample(
            world =>
            {
                var driver = new ClusterDriver(world.Configuration, world.State);
                var settled = -1;
                for (var i = 0; i < 12 && (settled < 0 || i <= settled + 3); i++)
                {
                    var cycle = driver.Step();
                    if (settled >= 0 && cycle.Result.Decisions.Any(d => d.Kind == DecisionKind.Evict))
                    {
                        throw Failure(world, driver, i, [$"cycle {settled} placed nothing, yet cycle {i} evicts"]);
                    }

                    if (settled < 0 && !cycle.Result.Decisions.Any(d => d.Kind is DecisionKind.Bind or DecisionKind.Pipeline))
                    {
                        settled = i;
                    }
                }
            },
            iter: Iterations);
    }

    private static void Check(Func<CycleRecord, IEnumerable<string>> invariant, string? seed = null) => Check((cycle, _) => invariant(cycle), seed);

    private static void Check(Func<CycleRecord, Configuration.SchedulerConfiguration, IEnumerable<string>> invariant, string? seed = null)
    {
        Worlds.Sample(
            world =>
            {
                var driver = new ClusterDriver(world.Configuration, world.State);
                for (var i = 0; i < Cycles; i++)
                {
                    var cycle = driver.Step();
                    var violations = invariant(cycle, world.Configuration).ToList();
                    if (violations.Count > 0)
                    {
                        throw Failure(world, driver, i, violations);
                    }
                }
            },
            seed: seed,
            iter: Iterations);
    }

    private static XunitException Failure(DisruptionWorld world, ClusterDriver driver, int cycle, IReadOnlyList<string> violations)
    {
        var text = new StringBuilder();
        text.AppendLine($"After cycle {cycle}:");
        foreach (var violation in violations)
        {
            text.AppendLine("  " + violation);
        }

        foreach (var record in driver.History)
        {
            text.AppendLine($"cycle {record.Index} ({record.Input.Now:HH:mm:ss}):");
            foreach (var decision in record.Result.Texts())
            {
                text.AppendLine("  " + decision);
            }
        }

        text.Append(world.Description);
        return new XunitException(text.ToString());
    }
}
