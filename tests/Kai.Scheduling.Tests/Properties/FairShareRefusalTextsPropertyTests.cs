using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The proportion plugin's victim-queue and victim filters with their refusals' words kept per queue (<see cref="FairShareRefusalTexts"/>)
/// answer as the filters that write them at every refusal, status for status and word for word: on random worlds whose
/// allocations change between the questions, every queue and every group asked about for random reclaimers (the victim
/// filter's verdicts kept per leaf by both, <see cref="NothingTakenVerdicts"/>).
/// </summary>
public sealed class FairShareRefusalTextsPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void VictimFilters_WithTextsKeptPerQueue_AnswerAsTextsWrittenEachTime()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var counts = new int[4];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                CompareOnRandomRounds(session, new Random(sample.seed), counts, sample.world.Description);
            },
            iter: Iterations);

        // Both answers must be common, or a wrong text could pass unseen.
        Assert.True(counts[0] > 2_000 && counts[1] > 1_000, $"queues allowed {counts[0]}, refused {counts[1]}");
        Assert.True(counts[2] > 2_000 && counts[3] > 1_000, $"groups allowed {counts[2]}, refused {counts[3]}");
    }

    private static void CompareOnRandomRounds(Session session, Random random, int[] counts, string description)
    {
        var options = new ProportionOptions();
        var kept = new ProportionPlugin(options, allowConsolidatingReclaim: false);
        var written = new ProportionPlugin(options, allowConsolidatingReclaim: false) { KeepsRefusalTextsPerQueue = false };
        var groups = session.Snapshot.Groups.Count;
        var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
        if (groups == 0)
        {
            return;
        }

        for (var round = 0; round < 3; round++)
        {
            using var statement = session.Begin(ActionKind.Reclaim);
            foreach (var pod in running.Where(p => session.StatusOf(p).IsActiveAllocated() && random.Next(3) == 0))
            {
                statement.Evict(pod);
            }

            for (var i = 0; i < 4; i++)
            {
                var reclaimer = random.Next(groups);
                if (session.Snapshot.QueueOf(reclaimer) < 0)
                {
                    continue;
                }

                for (var queue = 0; queue < session.Snapshot.Queues.Count; queue++)
                {
                    var expected = written.FilterVictimQueue(session, ActionKind.Reclaim, reclaimer, queue);
                    var actual = kept.FilterVictimQueue(session, ActionKind.Reclaim, reclaimer, queue);
                    Assert.True(expected == actual, $"round {round}: reclaimer {reclaimer}, queue {queue}: written {expected}, kept {actual}\n{description}");
                    counts[expected.IsSuccess ? 0 : 1]++;
                }

                for (var victim = 0; victim < groups; victim++)
                {
                    var expected = written.FilterVictim(session, ActionKind.Reclaim, reclaimer, victim);
                    var actual = kept.FilterVictim(session, ActionKind.Reclaim, reclaimer, victim);
                    Assert.True(expected == actual, $"round {round}: reclaimer {reclaimer}, group {victim}: written {expected}, kept {actual}\n{description}");
                    counts[expected.IsSuccess ? 2 : 3]++;
                }
            }
        }
    }
}
