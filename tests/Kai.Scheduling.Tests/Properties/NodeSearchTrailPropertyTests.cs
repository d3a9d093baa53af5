using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A gang's node searches going on from the previous same-shape pod's search (<c>NodeSearch.SearchTrail</c>) decide
/// exactly as searching every pod from the start: whole cycles (allocate, consolidation, reclaim, preempt, stale gang
/// eviction) on random clusters — half the gangs of one pod spec, some with differing tolerations, some asking for one host port; binpack and spread;
/// releasing pods, so the fits-on-idle tier splits the walks — give the same decisions and the same explanations.
/// </summary>
public sealed class NodeSearchTrailPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void RunCycle_WithSearchesGoingOn_DecidesAsSearchingEveryPodFromTheStart()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: true, uniformGangs: true, hostPorts: true)), (1, RandomWorld.Gen(withReleasing: false, uniformGangs: true)), (1, RandomWorld.CrowdedGen()));
        var continued = 0;
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var (reference, _) = Run(engine, world, continues: false);
                var (outcome, count) = Run(engine, world, continues: true);
                Interlocked.Add(ref continued, count);

                Assert.True(reference == outcome, $"searching every pod from the start:\n{reference}\ngoing on from the previous pod's search:\n{outcome}\n{world}");
            },
            iter: Iterations);

        // Searches must have gone on from a trail, or this test shows nothing.
        Assert.True(continued > 300, $"only {continued} searches went on from the previous pod's");
    }

    /// <summary>One cycle with every action; its decisions and explanations as text, and how many searches went on from a trail.</summary>
    private static (string Outcome, int Continued) Run(SchedulingEngine engine, RandomWorld world, bool continues)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.ContinuesNodeSearches = continues;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var continued = cycle.Session.ContinuedNodeSearches;
        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return (string.Join("\n", decisions.Concat(explanations)), continued);
    }
}
