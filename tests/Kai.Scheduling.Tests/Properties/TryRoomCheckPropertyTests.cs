using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The victim search's per-try room check only ever rejects tries that could not place the preemptor: whenever it
/// says a pod cannot fit with a victim set evicted, placing the preemptor's pods with that set evicted (the best a
/// simulation could do for it, as victims placed back only take room) fails too.
/// </summary>
public sealed class TryRoomCheckPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void EachPodCouldFit_WhenFalse_ThePreemptorCannotBePlacedWithThoseVictimsEvicted()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: true)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var random = new Random(seed);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                var preemptor = pending[random.Next(pending.Count)];
                var pods = session.Quantum.PodsToAllocate(preemptor);
                var victims = Enumerable.Range(0, session.Snapshot.Pods.Count)
                    .Where(p => session.StatusOf(p).IsActiveAllocated() && random.Next(3) == 0)
                    .ToList();
                if (new TryRoomCheck(session).EachPodCouldFit(pods, new TryVictims(victims)))
                {
                    return;
                }

                using var statement = session.Begin(ActionKind.Reclaim);
                foreach (var victim in victims)
                {
                    statement.Evict(victim);
                }

                var placed = GangPlacement.TryPlace(session, statement, preemptor, pods, pipelineOnly: true, explain: false)
                    && Array.TrueForAll(pods, p => session.StatusOf(p) == PodStatus.Pipelined);
                Assert.False(placed, $"the check rejected {session.Snapshot.Groups[preemptor].Name} with {victims.Count} victims, but it was placed\n{world}");
            },
            iter: Iterations);
    }

    [Fact]
    public void EachPodCouldFit_WhenVictimsAreSummedOnlyForPodsBeyondTheLargestFree_AnswersAsTheCheckThatSumsThemFirst()
    {
        var gen =
            from world in Gen.Frequency((1, RandomWorld.Gen(withReleasing: true)), (2, RandomWorld.CrowdedGen()))
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var rejected = 0;
        var accepted = 0;

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var random = new Random(seed);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                // One check for several tries in turn, as a search uses it, so what an earlier try summed could be read stale.
                var lazy = new TryRoomCheck(session);
                var eager = new TryRoomCheck(session);
                for (var turn = 0; turn < 4; turn++)
                {
                    var pods = session.Quantum.PodsToAllocate(pending[random.Next(pending.Count)]);
                    var victims = Enumerable.Range(0, session.Snapshot.Pods.Count)
                        .Where(p => session.StatusOf(p).IsActiveAllocated() && random.Next(1 + (turn * 2)) == 0)
                        .ToList();
                    eager.Evicting(victims);
                    var expected = Array.TrueForAll(pods, eager.PodCouldFit);
                    Assert.Equal(expected, lazy.EachPodCouldFit(pods, new TryVictims(victims)));
                    Interlocked.Increment(ref expected ? ref accepted : ref rejected);
                }
            },
            iter: Iterations);

        // Both answers must occur often, or this test shows nothing.
        Assert.True(rejected > 100 && accepted > 100, $"{rejected} tries rejected, {accepted} accepted");
    }
}
