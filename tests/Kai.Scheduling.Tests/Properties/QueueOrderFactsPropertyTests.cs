using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The proportion plugin's queue order with its facts kept per queue and ledger version (<see cref="QueueOrderFacts"/>)
/// answers as the plugin that works every fact out at each comparison: on random worlds whose queues change between the
/// comparisons (victim sets evicted, kept or rolled back), with candidates asked again and again (so the kept facts are
/// read), jobs of equal requests, queues with nothing waiting, and victim candidates with victims taken. Between two
/// comparisons a pod is now and then evicted and put back (a try rolled back), so ledger versions move while allocations
/// come back to what they were, and the facts kept across versions are read. Each shortcut is compared on its own too.
/// </summary>
public sealed class QueueOrderFactsPropertyTests
{
    private const int Iterations = 1200;

    private const int ComparisonsPerRound = 24;

    [Fact]
    public void CompareQueues_WithKeptFacts_AnswersAsFactsWorkedOutEachTime()
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

        // Victim candidates and pairs that the rules after the dominant shares decide must have been compared, and some
        // answers must have differed from 0 in both directions, or the test could not tell the kept facts wrong.
        Assert.True(counts[0] > 2_000, $"only {counts[0]} victim candidates compared");
        Assert.True(counts[1] > 2_000, $"only {counts[1]} comparisons answered -1");
        Assert.True(counts[2] > 2_000, $"only {counts[2]} comparisons answered 1");
        Assert.True(counts[3] > 2_000, $"facts kept across a moved version only {counts[3]} times");
    }

    private static void CompareOnRandomRounds(Session session, Random random, int[] counts, string description)
    {
        var options = new ProportionOptions();
        var kept = new ProportionPlugin(options, allowConsolidatingReclaim: false);
        var fresh = new ProportionPlugin(options, allowConsolidatingReclaim: false) { KeepsQueueFacts = false };
        ProportionPlugin[] partly =
        [
            new(options, allowConsolidatingReclaim: false) { KeepsFactsOfEqualAllocations = false },
            new(options, allowConsolidatingReclaim: false) { KeepsSeveralJobFacts = false },
        ];
        var groups = session.Snapshot.Groups.Count;
        var queues = session.Snapshot.Queues.Count;
        var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
        if (groups == 0 || queues < 2)
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

            // A few candidates asked again and again, as the walk asks them.
            var pool = Enumerable.Range(0, 6).Select(_ => Candidate(session, running, random)).ToList();
            for (var i = 0; i < ComparisonsPerRound; i++)
            {
                var (left, right) = (pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]);
                var expected = fresh.CompareQueues(session, left, right);
                var actual = kept.CompareQueues(session, left, right);
                Assert.True(expected == actual, $"round {round}: {left} against {right}: worked out {expected}, kept {actual}\n{description}");
                foreach (var plugin in partly)
                {
                    Assert.Equal(expected, plugin.CompareQueues(session, left, right));
                }

                TryAndRollBack(session, statement, running, random);
                counts[0] += (left.TakenVictims is null ? 0 : 1) + (right.TakenVictims is null ? 0 : 1);
                counts[1] += actual < 0 ? 1 : 0;
                counts[2] += actual > 0 ? 1 : 0;
            }

            if (random.Next(2) == 0)
            {
                statement.Rollback(checkpoint);
            }
        }

        counts[3] += kept.QueueFactsKeptAcrossVersions;
    }

    /// <summary>Now and then a running pod evicted, and mostly put back: versions move, allocations mostly come back.</summary>
    private static void TryAndRollBack(Session session, Statement statement, List<int> running, Random random)
    {
        if (running.Count == 0 || random.Next(3) != 0)
        {
            return;
        }

        var pod = running[random.Next(running.Count)];
        if (!session.StatusOf(pod).IsActiveAllocated())
        {
            return;
        }

        var tried = statement.Checkpoint();
        statement.Evict(pod);
        if (random.Next(4) != 0)
        {
            statement.Rollback(tried);
        }
    }

    /// <summary>A queue with a random group as its job (or none), and now and then the victims taken from it.</summary>
    private static QueueCandidate Candidate(Session session, List<int> running, Random random)
    {
        var queue = random.Next(session.Snapshot.Queues.Count);
        var job = random.Next(5) == 0 ? -1 : random.Next(session.Snapshot.Groups.Count);
        if (random.Next(3) != 0 || running.Count == 0)
        {
            return new QueueCandidate(queue, job);
        }

        var taken = ResourceVector.Zero;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            taken += session.AllocatedOf(running[random.Next(running.Count)]);
        }

        return new QueueCandidate(queue, random.Next(2) == 0 ? -1 : job, taken);
    }
}
