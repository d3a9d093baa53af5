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
/// The pending order kept for a cycle and caught up after each commit (touched groups merged back into their leaves)
/// is the order built from scratch over the same session: the same groups per leaf in the same order, the same
/// positions, the same request classes and the same counts per subtree.
/// </summary>
public sealed class PendingOrderPropertyTests
{
    private const int Iterations = 300;

    [Fact]
    public void Sync_AfterRandomPlacementsAndEvictions_EqualsAnOrderBuiltFromScratch()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: false)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var kept = new PendingOrder(session);
                var random = new Random(seed);
                for (var step = 0; step < 6; step++)
                {
                    CommitRandomChange(session, random);
                    kept.Sync();
                    AssertSame(session, new PendingOrder(session), kept, world);
                }
            },
            iter: Iterations);
    }

    /// <summary>Places a random pending group's quantum, or evicts a random running group, and commits it.</summary>
    private static void CommitRandomChange(Session session, Random random)
    {
        var snapshot = session.Snapshot;
        using var statement = session.Begin(ActionKind.Reclaim);
        if (random.Next(2) == 0)
        {
            var pending = PendingGroups.WithPendingPods(session).ToList();
            if (pending.Count > 0)
            {
                var group = pending[random.Next(pending.Count)];
                GangPlacement.TryPlace(session, statement, group, session.Quantum.PodsToAllocate(group), pipelineOnly: true, explain: false);
            }
        }
        else
        {
            var running = Enumerable.Range(0, snapshot.Groups.Count)
                .Where(g => snapshot.QueueOf(g) >= 0 && snapshot.MembersOf(g).Any(p => session.StatusOf(p).IsActiveAllocated()))
                .ToList();
            if (running.Count > 0)
            {
                foreach (var pod in snapshot.MembersOf(running[random.Next(running.Count)]).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList())
                {
                    statement.Evict(pod);
                }
            }
        }

        statement.Commit();
    }

    private static void AssertSame(Session session, PendingOrder expected, PendingOrder actual, RandomWorld world)
    {
        var snapshot = session.Snapshot;
        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            Assert.True(expected.CountInSubtree[q] == actual.CountInSubtree[q], $"queue {snapshot.Queues[q].Name}: {expected.CountInSubtree[q]} pending groups, kept {actual.CountInSubtree[q]}\n{world}");
            var want = expected.Of(q);
            var got = actual.Of(q);
            Assert.True((want?.Jobs ?? []).SequenceEqual(got?.Jobs ?? []), $"leaf {snapshot.Queues[q].Name}: expected {Names(session, want)}, kept {Names(session, got)}\n{world}");
            if (want is null || got is null)
            {
                continue;
            }

            // Class numbers depend on the order classes were first met; which jobs share a class does not.
            for (var i = 0; i < want.Jobs.Length; i++)
            {
                for (var j = 0; j < want.Jobs.Length; j++)
                {
                    Assert.Equal(want.Classes[i] == want.Classes[j], got.Classes[i] == got.Classes[j]);
                }
            }
        }

        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            Assert.Equal(expected.PositionOf(g), actual.PositionOf(g));
        }
    }

    private static string Names(Session session, PendingOrder.Leaf? leaf) =>
        string.Join(",", (leaf?.Jobs ?? []).Select(g => session.Snapshot.Groups[g].Name));
}
