using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The job queue whose sibling scans resume at the first sibling that changed pops the same groups in the same
/// order as one that compares every sibling at every pop, on random clusters while allocate's loop places each
/// popped group's quantum and pushes back groups with pods left, and at random evicts a running group between pops as
/// reclaim and preempt do (both queues over one session, in lockstep).
/// </summary>
public sealed class JobQueuePropertyTests
{
    [Fact]
    public void TryPop_WithResumedScans_PopsAsComparingEverySibling()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: false)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var random = new Random(seed);
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var candidates = PendingGroups.Candidates(session).ToList();
                var resuming = new JobQueue(session, candidates);
                var comparing = new JobQueue(session, candidates, resumeScans: false);
                var popped = new List<string>();
                while (comparing.TryPop(out var expected))
                {
                    Assert.True(resuming.TryPop(out var actual), $"ended early after {string.Join(", ", popped)}\n{world}");
                    Assert.True(expected == actual, $"after {string.Join(", ", popped)}: expected {session.Snapshot.Groups[expected].Name}, got {session.Snapshot.Groups[actual].Name}\n{world}");
                    popped.Add(session.Snapshot.Groups[expected].Name);
                    using var statement = session.Begin(ActionKind.Allocate);
                    if (GangPlacement.TryAllocate(session, statement, expected, pipelineOnly: false))
                    {
                        statement.Commit();
                        if (PendingGroups.HasCandidatePods(session, expected))
                        {
                            comparing.Push(expected);
                            resuming.Push(expected);
                        }
                    }

                    // As reclaim and preempt do between pops: another queue's allocation changes, its pending jobs do not.
                    if (random.Next(3) == 0)
                    {
                        EvictRandomRunningGroup(session, random);
                    }
                }

                Assert.False(resuming.TryPop(out _));
            },
            iter: 400);
    }

    private static void EvictRandomRunningGroup(Session session, Random random)
    {
        var snapshot = session.Snapshot;
        var running = Enumerable.Range(0, snapshot.Groups.Count)
            .Where(g => snapshot.MembersOf(g).Any(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0))
            .ToList();
        if (running.Count == 0)
        {
            return;
        }

        using var statement = session.Begin(ActionKind.Reclaim);
        foreach (var pod in snapshot.MembersOf(running[random.Next(running.Count)]).Where(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0).ToList())
        {
            statement.Evict(pod);
        }

        statement.Commit();
    }
}
