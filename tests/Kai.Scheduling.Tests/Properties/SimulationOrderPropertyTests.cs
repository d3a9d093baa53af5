using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The victim search's simulation order is the order of a <see cref="JobQueue"/> over every pending group, the victims
/// and the preemptor, passed over except for the acted groups — with the acted groups placed between pops, as a
/// simulation does, so queue allocations change under both; with and without the recorded first phase.
/// </summary>
public sealed class SimulationOrderPropertyTests
{
    private const int Iterations = 400;

    [Fact]
    public void TryNext_OnRandomClustersAndVictimSets_YieldsTheActedGroupsInJobQueueOrder()
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
                var pendingOrder = new PendingOrder(session);
                var random = new Random(seed);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                var running = Enumerable.Range(0, session.Snapshot.Groups.Count)
                    .Where(g => session.Snapshot.QueueOf(g) >= 0 && session.Snapshot.MembersOf(g).Any(p => session.StatusOf(p).IsActiveAllocated()))
                    .ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                var preemptor = pending[random.Next(pending.Count)];
                var victims = running.Where(g => g != preemptor && random.Next(2) == 0).ToList();
                var firstPhase = random.Next(2) == 0 ? SimulationOrder.RecordFirstPhase(session, pendingOrder, preemptor) : null;
                using var statement = session.Begin(ActionKind.Reclaim);
                foreach (var pod in victims.SelectMany(session.Snapshot.MembersOf).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList())
                {
                    statement.Evict(pod);
                }

                var acted = new HashSet<int>(victims) { preemptor };
                var reference = new JobQueue(session, [.. acted, .. pending], resumeScans: false);
                var order = new SimulationOrder(session, pendingOrder, acted, firstPhase);
                var expected = new List<int>();
                var actual = new List<int>();
                while (NextActed(reference, acted, out var next))
                {
                    expected.Add(next);
                    Assert.True(order.TryNext(out var group), $"ended before {session.Snapshot.Groups[next].Name}\n{world}");
                    actual.Add(group);
                    Assert.True(next == group, $"expected {Names(session, expected)}, got {Names(session, actual)}\n{world}");
                    Act(session, statement, group, preemptor);
                }

                Assert.False(order.TryNext(out _));
            },
            iter: Iterations);
    }

    /// <summary>
    /// A walk put back at the preemptor's turn (<see cref="SimulationOrder.Mark"/>, <see cref="SimulationOrder.Resume"/>)
    /// yields the rest as it did the first time; and where the preemptor's queues take no part in the rest, placing fewer
    /// of its pods changes nothing the walk yields while every victim ends as it did (the victim search's step chain).
    /// </summary>
    [Fact]
    public void Resume_AtThePreemptorsTurn_YieldsTheRestAsTheFirstWalk()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: false)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var replays = 0;

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var pendingOrder = new PendingOrder(session);
                var random = new Random(seed);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                var preemptor = pending[random.Next(pending.Count)];
                var victims = Enumerable.Range(0, session.Snapshot.Groups.Count)
                    .Where(g => g != preemptor && session.Snapshot.QueueOf(g) >= 0 && random.Next(2) == 0 && session.Snapshot.MembersOf(g).Any(p => session.StatusOf(p).IsActiveAllocated()))
                    .ToList();
                using var statement = EvictAll(session, victims);

                var order = new SimulationOrder(session, pendingOrder, [.. victims, preemptor]);
                while (order.TryNext(out var group) && group != preemptor)
                {
                    Act(session, statement, group, preemptor);
                }

                // At the preemptor's turn (or at the end, when it never came out: the rest is then empty both times).
                var mark = order.Mark();
                var checkpoint = statement.Checkpoint();
                var replayable = !order.TakesPart(session.Snapshot.QueueOf(preemptor));
                var pods = session.Quantum.PodsToAllocate(preemptor);
                var first = WalkOn(session, statement, order, preemptor, pods);

                statement.Rollback(checkpoint);
                order.Resume(mark);
                var again = WalkOn(session, statement, order, preemptor, pods);
                Assert.True(first.SequenceEqual(again), $"first {string.Join(",", first)}\nresumed {string.Join(",", again)}\n{world}");

                if (replayable && pods.Length > 1)
                {
                    statement.Rollback(checkpoint);
                    order.Resume(mark);
                    var fewer = WalkOn(session, statement, order, preemptor, pods[..^1]);

                    // Up to the first victim that ends otherwise, the same victims in the same order; that one too.
                    var same = first.Zip(fewer).TakeWhile(pair => pair.First == pair.Second).Count();
                    Assert.True(same == first.Count || fewer[same].Group == first[same].Group, $"first {string.Join(",", first)}\nwith one pod fewer {string.Join(",", fewer)}\n{world}");
                    Interlocked.Increment(ref replays);
                }
            },
            iter: Iterations);

        Assert.True(replays > 20, $"only {replays} walks were replayed with fewer pods");
    }

    private static Statement EvictAll(Session session, List<int> victims)
    {
        var statement = session.Begin(ActionKind.Reclaim);
        foreach (var pod in victims.SelectMany(session.Snapshot.MembersOf).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList())
        {
            statement.Evict(pod);
        }

        return statement;
    }

    /// <summary>The preemptor's pods placed, then the rest of the walk: each victim group with its leaf queue's allocation after its turn.</summary>
    private static List<(int Group, ResourceVector Allocated)> WalkOn(Session session, Statement statement, SimulationOrder order, int preemptor, int[] pods)
    {
        GangPlacement.TryPlace(session, statement, preemptor, pods, pipelineOnly: true, explain: false);
        var walked = new List<(int Group, ResourceVector Allocated)>();
        while (order.TryNext(out var group))
        {
            Act(session, statement, group, preemptor);
            walked.Add((group, session.Queues.Allocated[session.Snapshot.QueueOf(group)]));
        }

        return walked;
    }

    private static bool NextActed(JobQueue reference, HashSet<int> acted, out int group)
    {
        while (reference.TryPop(out group))
        {
            if (acted.Contains(group))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a simulation does with an acted group: the preemptor's quantum pipelined, a victim's evicted pods placed back.</summary>
    private static void Act(Session session, Statement statement, int group, int preemptor)
    {
        var pods = group == preemptor ? session.Quantum.PodsToAllocate(group) : session.Quantum.EvictedPodsToReplace(group);
        if (pods.Length > 0)
        {
            GangPlacement.TryPlace(session, statement, group, pods, pipelineOnly: true, explain: false);
        }
    }

    private static string Names(Session session, List<int> groups) => string.Join(",", groups.Select(g => session.Snapshot.Groups[g].Name));
}
