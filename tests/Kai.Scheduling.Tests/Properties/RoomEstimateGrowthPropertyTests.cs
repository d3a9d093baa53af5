using CsCheck;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A room estimate grown pod by pod (<see cref="RoomEstimate.AddPod"/>) answers as a new estimate for the larger set of pods
/// with the same victims freed; and whole searches whose chains grow one estimate end as those that build one per pod.
/// </summary>
public sealed class RoomEstimateGrowthPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void CouldFit_OfAnEstimateGrownPodByPod_AnswersAsANewEstimate()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var answers = new int[2];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                var random = new Random(sample.seed);
                var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
                foreach (var group in PendingGroups.WithPendingPods(session).Where(g => session.Snapshot.SubGroupTreeOf(g) is null))
                {
                    var pods = session.Quantum.PodsToAllocate(group);
                    var victims = running.Where(_ => random.Next(3) == 0).ToList();
                    if (pods.Length == 0)
                    {
                        continue;
                    }

                    var grown = new RoomEstimate(session, pods[..1], session.RequestOf(pods[0]));
                    grown.Free(victims);
                    var demand = session.RequestOf(pods[0]);
                    for (var n = 1; n <= pods.Length; n++)
                    {
                        if (n > 1)
                        {
                            grown.AddPod(pods[n - 1]);
                            demand += session.RequestOf(pods[n - 1]);
                        }

                        var fresh = new RoomEstimate(session, pods[..n], demand);
                        fresh.Free(victims);
                        var expected = fresh.CouldFit();
                        Assert.True(expected == grown.CouldFit(), $"{n} of {pods.Length} pods: a new estimate says {expected}\n{sample.world.Description}");
                        Interlocked.Increment(ref answers[expected ? 1 : 0]);
                    }
                }
            },
            iter: Iterations);

        Assert.True(answers[0] > MinimumOfEach && answers[1] > MinimumOfEach, $"{answers[1]} fits and {answers[0]} misses: too few of one");
    }

    private const int MinimumOfEach = 500;

    [Fact]
    public void Solve_WithChainChecksOnAGrownEstimate_EndsAsTheSearchWithAnEstimatePerPod()
    {
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen() })
        {
            StepChainPropertyTests.CompareSearches(
                worlds,
                Iterations,
                (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { GrowChainRoomEstimate = false },
                _ => { },
                alsoCompared: solver => $"continuations attempted: {solver.ContinuationsAttempted}");
        }
    }
}
