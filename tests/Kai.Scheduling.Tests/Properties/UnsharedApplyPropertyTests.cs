using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// <c>Session.Apply</c> moving a pod that shares no GPU by its request alone (<c>Session.AppliesUnsharedPodsByDelta</c>)
/// keeps the books as reading each node's free capacity before and after every change does: whole cycles (every
/// action) on random clusters — releasing pods, pods that share GPUs beside whole-GPU ones, crowded clusters where
/// victims are evicted, pipelined and rolled back — give the same decisions, the same explanations and the same
/// schedulable free capacity after every action.
/// </summary>
public sealed class UnsharedApplyPropertyTests
{
    private const int Iterations = 600;

    [Fact]
    public void RunCycle_ApplyingUnsharedPodsByDelta_KeepsBooksAsReadingFreeCapacity()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false)), (2, RandomWorld.CrowdedGen()));
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var reference = Run(engine, world, byDelta: false);
                var outcome = Run(engine, world, byDelta: true);

                Assert.True(reference == outcome, $"reading free capacity:\n{reference}\nby the request:\n{outcome}\n{world}");
            },
            iter: Iterations);
    }

    /// <summary>One cycle with every action; the schedulable free capacity after each, then its decisions and explanations, as text.</summary>
    private static string Run(SchedulingEngine engine, RandomWorld world, bool byDelta)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.AppliesUnsharedPodsByDelta = byDelta;
        var free = new List<string>();
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
            free.Add($"after {action}: schedulable free {cycle.Session.SchedulableFree}");
        }

        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return string.Join("\n", free.Concat(decisions).Concat(explanations));
    }
}
