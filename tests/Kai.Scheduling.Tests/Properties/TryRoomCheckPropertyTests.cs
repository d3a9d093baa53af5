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
                if (new TryRoomCheck(session).EachPodCouldFit(pods, victims))
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
}
