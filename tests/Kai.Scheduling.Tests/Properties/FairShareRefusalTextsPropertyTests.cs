using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The proportion plugin's victim-queue filter with its refusals' words kept per queue (<see cref="FairShareRefusalTexts"/>)
/// answers as the filter that writes them at every refusal, status for status and word for word: on random worlds whose
/// allocations change between the questions, every queue asked about for random reclaimers.
/// </summary>
public sealed class FairShareRefusalTextsPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void FilterVictimQueue_WithTextsKeptPerQueue_AnswersAsTextsWrittenEachTime()
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

        // Both answers must be common, or a wrong text could pass unseen.
        Assert.True(counts[0] > 2_000 && counts[1] > 1_000, $"allowed {counts[0]}, refused {counts[1]}");
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
            }
        }
    }
}
