using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The node search walking the index's orders with cursors (<c>Session.WalksNodeOrdersWithCursors</c>)
/// decides exactly as walking them with their iterators: whole cycles (allocate, consolidation, reclaim, preempt, stale
/// gang eviction) on random clusters — binpack and spread, releasing pods (so the fits-on-idle tier splits the walks),
/// gangs of one pod spec (so searches go on from a trail, the cursor after a rank), crowded clusters (so first
/// candidates refuse and walks go on) — give the same decisions and the same explanations.
/// (<see cref="NodeOrderPropertyTests"/> compares the cursors' walks with a sorted set's directly.)
/// </summary>
public sealed class NodeOrderCursorPropertyTests
{
    private const int Iterations = 800;

    [Fact]
    public void RunCycle_WalkingWithCursors_DecidesAsWalkingWithIterators()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false)), (2, RandomWorld.CrowdedGen()));
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var reference = Run(engine, world, cursors: false);
                var outcome = Run(engine, world, cursors: true);

                Assert.True(reference == outcome, $"walking with iterators:\n{reference}\nwalking with cursors:\n{outcome}\n{world}");
            },
            iter: Iterations);
    }

    /// <summary>One cycle with every action; its decisions and explanations as text.</summary>
    private static string Run(SchedulingEngine engine, RandomWorld world, bool cursors)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.WalksNodeOrdersWithCursors = cursors;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return string.Join("\n", decisions.Concat(explanations));
    }
}
