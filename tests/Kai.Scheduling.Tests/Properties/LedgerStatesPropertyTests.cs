using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Queue comparisons remembered under each queue's ledger content (<see cref="LedgerStates"/>) instead of its version
/// answer as queue order does: directly, after victim sets evicted and rolled back again and again (so states recur under
/// new versions), and in whole victim searches compared with the search whose pending order keys by version.
/// </summary>
public sealed class LedgerStatesPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void CompareClasses_AfterVictimSetsEvictedAndRolledBack_AnswersAsQueueOrder()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var recurring = 0;
        var asked = 0;

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var pendingOrder = new PendingOrder(session);
                var random = new Random(seed);
                var jobs = PendingGroups.WithPendingPods(session).Where(g => pendingOrder.PositionOf(g) >= 0).ToList();
                var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
                if (jobs.Count == 0 || running.Count == 0)
                {
                    return;
                }

                // A few victim sets, each evicted several times (a search's tries evict alike sets again and again).
                var sets = Enumerable.Range(0, 3).Select(_ => running.Where(_ => random.Next(3) == 0).ToList()).ToList();
                for (var round = 0; round < 8; round++)
                {
                    using var statement = session.Begin(ActionKind.Reclaim);
                    var set = sets[random.Next(sets.Count)];
                    foreach (var pod in set)
                    {
                        statement.Evict(pod);
                    }

                    // The groups the evictions acted on: the walk asks their comparisons of the plugin, never of the
                    // remembered ones (SimulationOrder.Compare), because their own requests changed with the try — two
                    // victim sets can leave a queue at the same allocation with its jobs in different states.
                    var acted = set.Select(session.Snapshot.GroupOf).ToHashSet();

                    for (var i = 0; i < 12; i++)
                    {
                        var (left, right) = (Candidate(session, jobs, random), Candidate(session, jobs, random));
                        if (acted.Contains(left.BestJob) || acted.Contains(right.BestJob))
                        {
                            continue;
                        }

                        if (left.Queue == right.Queue)
                        {
                            // The walk compares distinct queues only (siblings); a queue against itself ties whatever its jobs.
                            continue;
                        }

                        var expected = session.Plugins.CompareQueues(session, left, right);
                        var actual = pendingOrder.CompareClasses(left.Queue, left.BestJob, right.Queue, right.BestJob);
                        Assert.True(Math.Sign(expected) == Math.Sign(actual), $"round {round}: queue order says {expected}, the remembered comparison {actual}\n{world}");
                        Interlocked.Increment(ref asked);
                    }
                }

                Interlocked.Add(ref recurring, pendingOrder.RecurringStates);
            },
            iter: Iterations);

        // States must have recurred under new versions, or the remembered answers were never read across them.
        Assert.True(recurring > MinimumRecurring, $"only {recurring} states recurred ({asked} comparisons)");
    }

    /// <summary>Whole victim searches read the same order whether comparisons are remembered by content or by version.</summary>
    [Fact]
    public void Solve_WithComparisonsKeyedByLedgerContent_EndsAsTheSearchKeyedByVersion()
    {
        var recurring = 0;
        StepChainPropertyTests.CompareSearches(
            RandomWorld.Gen(withReleasing: true, uniformGangs: true),
            SearchIterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            _ => { },
            session => new PendingOrder(session) { NameStatesByContent = false },
            order => Interlocked.Add(ref recurring, order.RecurringStates));
        Assert.True(recurring > MinimumRecurring, $"only {recurring} states recurred in the searches");
    }

    private const int SearchIterations = 1000;

    private const int MinimumRecurring = 200;

    /// <summary>A pending job with its leaf queue or one of the leaf's ancestors (the walk compares both).</summary>
    private static QueueCandidate Candidate(Session session, List<int> jobs, Random random)
    {
        var job = jobs[random.Next(jobs.Count)];
        var path = new List<int>();
        foreach (var queue in session.Snapshot.QueueAndAncestors(session.Snapshot.QueueOf(job)))
        {
            path.Add(queue);
        }

        return new QueueCandidate(path[random.Next(path.Count)], job);
    }
}
