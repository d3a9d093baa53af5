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
/// The allocation quantum that sorts each pod set once per session and filters candidates from that order gives
/// the same pods in the same order as sorting the candidates at every computation, on random clusters after random
/// placements (one quantum at a time, elastic groups growing) and evictions.
/// </summary>
public sealed class AllocationQuantumPropertyTests
{
    [Fact]
    public void PodsToAllocate_WithTheOrderKeptForTheSession_EqualsSortingEachTime()
    {
        SampleSessions(
            (session, random) =>
            {
                for (var step = 0; step < 8; step++)
                {
                    AssertSameQuanta(session);
                    CommitRandomChange(session, random);
                }

                AssertSameQuanta(session);
            },
            iter: 300);
    }

    /// <summary>Runs the body on a session opened on each of <paramref name="iter"/> random worlds, with a seeded random of its own.</summary>
    private static void SampleSessions(Action<Session, Random> body, int iter)
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: true)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                body(new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State)), new Random(seed));
            },
            iter: iter);
    }

    [Fact]
    public void InitRequest_WithoutThePodsArray_EqualsTheRequestOfThePodsAfterEveryChange()
    {
        var withoutPods = 0;

        SampleSessions(
            (session, random) =>
            {
                // Kept across the changes, as the session's is: its entries go stale as the groups' versions move.
                var quantum = new AllocationQuantum(session);
                for (var step = 0; step < 8; step++)
                {
                    AssertSameRequests(session, quantum, random);
                    CommitRandomChange(session, random);
                }

                AssertSameRequests(session, quantum, random);
                withoutPods += quantum.RequestsWithoutPods;
            },
            iter: 600);

        // The request-only path (a group worked out before, its version moved since) must have been taken, or the
        // comparison proves nothing (1,400 seen).
        Assert.True(withoutPods > 800, $"only {withoutPods} requests computed without the pods");
    }

    /// <summary>Each group's request and pods, asked in a random order (either first, or one of them only), against a fresh quantum that makes the pods every time.</summary>
    private static void AssertSameRequests(Session session, AllocationQuantum quantum, Random random)
    {
        var reference = new AllocationQuantum(session, requestWithoutPods: false);
        for (var group = 0; group < session.Snapshot.Groups.Count; group++)
        {
            switch (random.Next(3))
            {
                case 0:
                    Assert.Equal(reference.InitRequest(group), quantum.InitRequest(group));
                    break;
                case 1:
                    Assert.Equal(reference.InitRequest(group), quantum.InitRequest(group));
                    Assert.Equal(reference.PodsToAllocate(group), quantum.PodsToAllocate(group));
                    break;
                default:
                    Assert.Equal(reference.PodsToAllocate(group), quantum.PodsToAllocate(group));
                    Assert.Equal(reference.InitRequest(group), quantum.InitRequest(group));
                    break;
            }
        }
    }

    private static void AssertSameQuanta(Session session)
    {
        // A fresh quantum that sorts every time: nothing cached from earlier computations.
        var sorting = new AllocationQuantum(session, reuseOrder: false);
        for (var group = 0; group < session.Snapshot.Groups.Count; group++)
        {
            Assert.Equal(sorting.PodsToAllocate(group), session.Quantum.PodsToAllocate(group));
            Assert.Equal(sorting.InitRequest(group), session.Quantum.InitRequest(group));
            Assert.Equal(sorting.EvictedPodsToReplace(group), session.Quantum.EvictedPodsToReplace(group));
        }
    }

    /// <summary>
    /// A victim group's evicted pods, asked at each of many tries (random running pods evicted in a statement, then
    /// discarded), as a kept quantum gives them — its last array again for the same pods — against a new array every time.
    /// </summary>
    [Fact]
    public void EvictedPodsToReplace_GivingTheLastArrayAgain_EqualsANewArrayEveryTime()
    {
        var reused = 0;

        SampleSessions(
            (session, random) =>
            {
                var quantum = new AllocationQuantum(session);
                var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0).ToList();
                var groups = running.Select(session.Snapshot.GroupOf).Where(g => g >= 0).Distinct().ToList();
                for (var attempt = 0; attempt < 12 && groups.Count > 0; attempt++)
                {
                    // A few groups' pods, each evicted with some probability: the same pods now and then, others at other times.
                    var victims = groups.Where(_ => random.Next(3) == 0).ToList();
                    using var statement = session.Begin(ActionKind.Reclaim);
                    foreach (var pod in running.Where(p => victims.Contains(session.Snapshot.GroupOf(p)) && random.Next(4) > 0))
                    {
                        statement.Evict(pod);
                    }

                    var reference = new AllocationQuantum(session, reusesEvictedArrays: false);
                    foreach (var group in groups)
                    {
                        Assert.Equal(reference.EvictedPodsToReplace(group), quantum.EvictedPodsToReplace(group));
                    }

                    statement.Discard();
                }

                reused += quantum.EvictedArraysReused;
            },
            iter: 300);

        Assert.True(reused > 2_000, $"only {reused} arrays given again");
    }

    /// <summary>Places a random pending group's quantum, or evicts the running pods of a random group, and commits it.</summary>
    private static void CommitRandomChange(Session session, Random random)
    {
        var snapshot = session.Snapshot;
        using var statement = session.Begin(ActionKind.Allocate);
        if (random.Next(3) > 0)
        {
            var pending = PendingGroups.WithPendingPods(session).ToList();
            if (pending.Count > 0)
            {
                var group = pending[random.Next(pending.Count)];
                GangPlacement.TryPlace(session, statement, group, session.Quantum.PodsToAllocate(group), pipelineOnly: false, explain: false);
            }
        }
        else
        {
            var running = Enumerable.Range(0, snapshot.Groups.Count)
                .Where(g => snapshot.MembersOf(g).Any(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0))
                .ToList();
            if (running.Count > 0)
            {
                foreach (var pod in snapshot.MembersOf(running[random.Next(running.Count)]).Where(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0).ToList())
                {
                    statement.Evict(pod);
                }
            }
        }

        statement.Commit();
    }
}
