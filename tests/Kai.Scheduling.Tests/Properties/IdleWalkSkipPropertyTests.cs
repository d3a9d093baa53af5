using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The node search skipping a walk that requires fitting on idle capacity when no node has as much of the placement
/// resource idle and free as the pod needs (<c>Session.SkipsWalksWhereNothingFitsIdle</c>, <c>NodeIndex.LargestIdle</c>)
/// decides exactly as walking it: whole cycles (allocate, consolidation, reclaim, preempt, stale gang eviction) on random
/// clusters — releasing pods, so the fits-on-idle tier splits the walks and pipelined pods reserve releasing capacity;
/// crowded clusters; binpack and spread — give the same decisions and the same explanations.
/// </summary>
public sealed class IdleWalkSkipPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void RunCycle_SkippingWalksWhereNothingFitsIdle_DecidesAsWalkingThem()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false)), (2, RandomWorld.CrowdedGen()));
        var skipped = 0;
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var (reference, _) = Run(engine, world, skips: false);
                var (outcome, count) = Run(engine, world, skips: true);
                Interlocked.Add(ref skipped, count);

                Assert.True(reference == outcome, $"walking every combination:\n{reference}\nskipping those where nothing fits idle:\n{outcome}\n{world}");
            },
            iter: Iterations);

        // Walks must have been skipped, or this test shows nothing.
        Assert.True(skipped > 300, $"only {skipped} walks were skipped");
    }

    /// <summary>One cycle with every action; its decisions and explanations as text, and how many walks were skipped.</summary>
    private static (string Outcome, int Skipped) Run(SchedulingEngine engine, RandomWorld world, bool skips)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.SkipsWalksWhereNothingFitsIdle = skips;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var skipped = cycle.Session.IdleWalksSkipped;
        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return (string.Join("\n", decisions.Concat(explanations)), skipped);
    }
}
