using CsCheck;
using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Preempt fails a preemptor without its search where its queue holds no group preempt's own rule lets be a victim and
/// its first pod could not fit with nothing evicted (<c>PreemptAction.OwnQueueVictims.cs</c>); the action then decides and explains
/// exactly as the action that searches every preemptor: the same pods releasing and pipelined on the same nodes, the same
/// decisions, the same notes (with the rejections the walk counted) and counters — on random clusters, where queues hold
/// preemptible and non-preemptible groups of four priorities, some pods releasing.
/// </summary>
public sealed class PreemptKnownFailurePropertyTests
{
    private const int Iterations = 3000;

    // Preemptors failed before their search, and searched, in these worlds (1,9xx and 9,xxx seen).
    private const int MinimumKnown = 500;
    private const int MinimumSearched = 2_000;

    [Fact]
    public void Preempt_FailingWithoutVictimsBeforeTheSearch_DecidesAndExplainsAsTheActionThatSearches()
    {
        var known = 0;
        var searched = 0;
        var worlds = Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen());
        worlds.Sample(
            world =>
            {
                var reference = Run(world, new PreemptAction { FailsWithoutVictimsBeforeSearch = false }, out var referenceConsidered);
                var action = new PreemptAction();
                var outcome = Run(world, action, out _);
                Interlocked.Add(ref known, action.FailuresKnownBeforeSearch);
                Interlocked.Add(ref searched, referenceConsidered - action.FailuresKnownBeforeSearch);
                Assert.True(reference == outcome, $"the action that searches every preemptor gave\n{reference}\nthe action that fails some before their search gave\n{outcome}\n{world}");
            },
            iter: Iterations);

        Assert.True(known > MinimumKnown && searched > MinimumSearched, $"only {known} preemptors failed before their search, {searched} searched");
        Console.WriteLine($"preempt: {known} preemptors failed before their search, {searched} searched");
    }

    /// <summary>One preempt action on a fresh session of the world: what it decided, explained and counted.</summary>
    private static string Run(RandomWorld world, PreemptAction action, out int considered)
    {
        var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
        var context = new ActionContext(session, ActionKind.Preempt, new CycleState(session), CancellationToken.None);
        action.Execute(context);
        considered = context.Tally.PodGroupsConsidered;
        var pods = Enumerable.Range(0, session.Snapshot.Pods.Count)
            .Where(p => session.StatusOf(p) is PodStatus.Releasing or PodStatus.Pipelined)
            .Select(p => $"{session.Snapshot.Pods[p].Name}:{session.StatusOf(p)}@{session.NodeOf(p)}");
        var notes = session.Explanations.Build().SelectMany(e => e.Notes.Select(n => $"{e.Group.Name}: {n}"));
        var tally = context.Tally;
        return $"considered={tally.PodGroupsConsidered} scheduled={tally.PodGroupsScheduled} simulated={tally.ScenariosSimulated}\n"
            + $"  {string.Join(", ", pods)}\n  decisions: {string.Join(", ", session.Decisions)}\n  notes:\n    {string.Join("\n    ", notes)}";
    }
}
