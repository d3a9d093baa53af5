using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A pod's failure to find a node written out when its message is read (<c>ExplanationBook.DescribesUnplacedWhenRead</c>)
/// reads exactly as written when recorded: whole cycles (every action) on random clusters — crowded ones, so that gangs
/// fail part-way and failures are recorded again and again, and uniform gangs, so that one shape fails many times —
/// give the same decisions and the same explanations, word for word.
/// </summary>
public sealed class UnplacedExplanationPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void RunCycle_DescribingUnplacedWhenRead_ExplainsAsDescribingWhenRecorded()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false)), (2, RandomWorld.CrowdedGen()));
        var explained = 0;
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var (reference, _) = Run(engine, world, whenRead: false);
                var (outcome, unplaced) = Run(engine, world, whenRead: true);
                explained += unplaced;

                Assert.True(reference == outcome, $"described when recorded:\n{reference}\ndescribed when read:\n{outcome}\n{world}");
            },
            iter: Iterations,
            threads: 1);

        // The comparison is only worth something if pods failed to find nodes in many worlds.
        Assert.True(explained > Iterations / 4, $"only {explained} explanations said a pod does not fit");
    }

    /// <summary>One cycle with every action; its decisions and explanations as text, and how many explanations say a pod does not fit.</summary>
    private static (string Text, int Unplaced) Run(SchedulingEngine engine, RandomWorld world, bool whenRead)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.Explanations.DescribesUnplacedWhenRead = whenRead;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}").ToList();
        return (string.Join("\n", decisions.Concat(explanations)), explanations.Count(e => e.Contains("does not fit", StringComparison.Ordinal)));
    }
}
