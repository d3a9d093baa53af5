using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The node index moving a changed node only when it is next read (<see cref="Session.DefersNodeIndexMoves"/>) reads as
/// the index that moves it at every change: directly, after random evictions and rollbacks read at random
/// points, and in whole cycles (every action), whose decisions and explanations must be the same.
/// </summary>
public sealed class NodeIndexDeferredMovesPropertyTests
{
    private const int Iterations = 800;

    [Fact]
    public void Reads_AfterChangesDeferred_AreAsAfterEveryChangeMoved()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var saved = 0;
        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var eager = engine.OpenSession(SnapshotBuilder.Build(world.State));
                eager.DefersNodeIndexMoves = false;
                var deferring = engine.OpenSession(SnapshotBuilder.Build(world.State));
                var random = new Random(seed);
                var running = Enumerable.Range(0, eager.Snapshot.Pods.Count).Where(p => eager.StatusOf(p).IsActiveAllocated()).ToList();
                for (var round = 0; round < 6 && running.Count > 0; round++)
                {
                    var victims = running.Where(_ => random.Next(3) == 0).ToList();
                    var readAt = random.Next(victims.Count + 1);
                    using var eagerStatement = eager.Begin(ActionKind.Reclaim);
                    using var deferringStatement = deferring.Begin(ActionKind.Reclaim);
                    for (var i = 0; i < victims.Count; i++)
                    {
                        if (i == readAt)
                        {
                            AssertReadsAlike(eager, deferring, random, $"round {round}, after {i} evictions\n{world}");
                        }

                        eagerStatement.Evict(victims[i]);
                        deferringStatement.Evict(victims[i]);
                    }

                    AssertReadsAlike(eager, deferring, random, $"round {round}, after the evictions\n{world}");
                    if (random.Next(2) == 0)
                    {
                        eagerStatement.Discard();
                        deferringStatement.Discard();
                        AssertReadsAlike(eager, deferring, random, $"round {round}, after the rollback\n{world}");
                    }
                }

                Interlocked.Add(ref saved, deferring.NodeIndex.MovesSaved);
            },
            iter: Iterations);

        // Nodes must have changed again before a read, or no deferral was tested.
        Assert.True(saved > 500, $"only {saved} changes found their node still to be moved");
    }

    [Fact]
    public void RunCycle_WithIndexMovesDeferred_DecidesAsMovingAtEveryChange()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false, uniformGangs: true)), (1, RandomWorld.CrowdedGen()));
        var saved = 0;
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var (reference, _) = Run(engine, world, defers: false);
                var (outcome, count) = Run(engine, world, defers: true);
                Interlocked.Add(ref saved, count);
                Assert.True(reference == outcome, $"moving at every change:\n{reference}\nmoving when read:\n{outcome}\n{world}");
            },
            iter: Iterations);

        Assert.True(saved > 500, $"only {saved} changes found their node still to be moved");
    }

    /// <summary>
    /// What the index answers, read in a random order (each read must bring the index up to date by itself): both GPU
    /// orders and the CPU binpack order, a few ranks, whether any node holds releasing capacity, the largest free GPUs.
    /// </summary>
    private static void AssertReadsAlike(Session eager, Session deferring, Random random, string where)
    {
        var reads = new List<Func<Session, string>>
        {
            s => string.Join(" ", s.NodeIndex.Ordered(PlacementResource.Gpu, PlacementStrategy.Binpack)),
            s => string.Join(" ", s.NodeIndex.Ordered(PlacementResource.Gpu, PlacementStrategy.Spread)),
            s => string.Join(" ", s.NodeIndex.Ordered(PlacementResource.Cpu, PlacementStrategy.Binpack)),
            s => $"releasing {s.NodeIndex.AnyReleasing}",
            s => $"largest free {s.NodeIndex.LargestFree(PlacementResource.Gpu)}",
        };
        for (var i = 0; i < 3 && eager.Nodes.Length > 0; i++)
        {
            var node = random.Next(eager.Nodes.Length);
            reads.Add(s => $"{s.NodeIndex.RankOf(PlacementResource.Gpu, node)} {s.NodeIndex.RankOf(PlacementResource.Cpu, node)}");
        }

        foreach (var read in reads.OrderBy(_ => random.Next()).Take(1 + random.Next(reads.Count)))
        {
            var expected = read(eager);
            var actual = read(deferring);
            Assert.True(expected == actual, $"the index reads otherwise, {where}:\n{expected}\n{actual}");
        }
    }

    /// <summary>One cycle with every action; its decisions and explanations as text, and the moves the deferral saved.</summary>
    private static (string Outcome, int Saved) Run(SchedulingEngine engine, RandomWorld world, bool defers)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.DefersNodeIndexMoves = defers;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var saved = cycle.Session.NodeIndex.MovesSaved;
        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return (string.Join("\n", decisions.Concat(explanations)), saved);
    }
}
