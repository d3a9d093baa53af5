using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The proportion plugin's reclaim victim filter with its verdicts kept per victim leaf queue
/// (<see cref="NothingTakenVerdicts"/>) answers as the rules asked at every victim, word for word: on random worlds whose
/// queues and groups change between the questions (victims evicted, kept or rolled back), each pair asked again and again.
/// </summary>
public sealed class NothingTakenVerdictsPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void FilterVictim_WithKeptVerdicts_AnswersAsTheRulesAskedEachTime()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var counts = new int[2];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                CompareOnRandomRounds(session, new Random(sample.seed), counts, sample.world.Description);
            },
            iter: Iterations);

        Assert.True(counts[0] > 3_000 && counts[1] > 3_000, $"accepted {counts[0]}, refused {counts[1]}");
    }

    private static void CompareOnRandomRounds(Session session, Random random, int[] counts, string description)
    {
        var options = new ProportionOptions();
        var kept = new ProportionPlugin(options, allowConsolidatingReclaim: false);
        var asked = new ProportionPlugin(options, allowConsolidatingReclaim: false) { RemembersVictimVerdicts = false };
        var groups = session.Snapshot.Groups.Count;
        var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
        if (groups < 2)
        {
            return;
        }

        for (var round = 0; round < 6; round++)
        {
            using var statement = session.Begin(ActionKind.Reclaim);
            var checkpoint = statement.Checkpoint();
            foreach (var pod in running.Where(p => session.StatusOf(p).IsActiveAllocated() && random.Next(4) == 0))
            {
                statement.Evict(pod);
            }

            // Two reclaimers per round, each asking of many victims (a search asks of every group it could take).
            var reclaimers = new[] { random.Next(groups), random.Next(groups) };
            for (var i = 0; i < 30; i++)
            {
                var (reclaimer, victim) = (reclaimers[random.Next(2)], random.Next(groups));
                var expected = asked.FilterVictim(session, ActionKind.Reclaim, reclaimer, victim);
                var actual = kept.FilterVictim(session, ActionKind.Reclaim, reclaimer, victim);
                Assert.True(expected == actual, $"round {round}: reclaimer {reclaimer}, victim {victim}: asked {expected}, kept {actual}\n{description}");
                counts[expected.IsSuccess ? 0 : 1]++;
            }

            if (random.Next(2) == 0)
            {
                statement.Rollback(checkpoint);
            }
        }
    }
}
