using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The min-runtime plugin that remembers, per group, that no rule protects it this session
/// (<see cref="MinRuntimePlugin.RemembersUnprotected"/>) answers as the plugin that works it out at every question: the
/// same verdicts and protection ends, and its session notes the same earliest deadline (<see cref="Session.SameUntil"/>),
/// on random worlds whose groups started at random times under random min-runtimes, each victim asked again and again.
/// </summary>
public sealed class MinRuntimeMemoryPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void FilterVictim_RememberingUnprotectedGroups_AnswersAsAskingEachTime()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: true, uniformGangs: true)
            from seed in Gen.Int[0, 1_000_000]
            from lca in Gen.Bool
            select (world, seed, lca);
        var counts = new int[2];
        gen.Sample(
            sample =>
            {
                var random = new Random(sample.seed);
                var state = WithRandomStartsAndMinRuntimes(sample.world.State, random);
                var options = new MinRuntimeOptions
                {
                    PreemptMinRuntime = TimeSpan.FromMinutes(random.Next(0, 8)),
                    ReclaimMinRuntime = TimeSpan.FromMinutes(random.Next(0, 8)),
                    ReclaimResolveMethod = sample.lca ? MinRuntimeResolveMethod.Lca : MinRuntimeResolveMethod.Queue,
                };
                var engine = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry);
                var (rememberingSession, askingSession) = (engine.OpenSession(SnapshotBuilder.Build(state)), engine.OpenSession(SnapshotBuilder.Build(state)));
                var remembering = new MinRuntimePlugin(options);
                var asking = new MinRuntimePlugin(options) { RemembersUnprotected = false };
                var groups = state.PodGroups.Count;
                if (groups == 0)
                {
                    return;
                }

                for (var i = 0; i < 40; i++)
                {
                    var action = random.Next(2) == 0 ? ActionKind.Preempt : ActionKind.Reclaim;
                    var (preemptor, victim) = (random.Next(groups), random.Next(groups));
                    var expected = asking.FilterVictim(askingSession, action, preemptor, victim);
                    var actual = remembering.FilterVictim(rememberingSession, action, preemptor, victim);
                    Assert.True(expected == actual, $"{action} {preemptor} on {victim}: asked {expected}, remembered {actual}\n{sample.world}");
                    Assert.Equal(asking.ProtectedUntil(askingSession, action, preemptor, victim), remembering.ProtectedUntil(rememberingSession, action, preemptor, victim));
                    counts[expected.IsSuccess ? 0 : 1]++;
                }

                Assert.Equal(askingSession.SameUntil, rememberingSession.SameUntil);
            },
            iter: Iterations);

        Assert.True(counts[0] > 5_000 && counts[1] > 3_000, $"accepted {counts[0]}, protected {counts[1]}");
    }

    [Fact]
    public void Validate_WithoutQueries_AnswersAsTheQuery()
    {
        var gen =
            from world in RandomWorld.Gen(withReleasing: true, uniformGangs: true)
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var counts = new int[2];
        gen.Sample(
            sample =>
            {
                var random = new Random(sample.seed);
                var state = WithRandomStartsAndMinRuntimes(sample.world.State, random);
                var options = new MinRuntimeOptions { PreemptMinRuntime = TimeSpan.FromMinutes(random.Next(0, 8)), ReclaimMinRuntime = TimeSpan.FromMinutes(random.Next(0, 8)) };
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(state));
                var (looping, querying) = (new MinRuntimePlugin(options), new MinRuntimePlugin(options) { ValidatesWithoutQueries = false });
                var running = Enumerable.Range(0, state.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0).ToList();
                if (running.Count == 0 || state.PodGroups.Count == 0)
                {
                    return;
                }

                for (var i = 0; i < 20; i++)
                {
                    // Some running pods evicted (groups drop below their minimum), a scenario naming a random selection of
                    // them and of other pods, in a random order and with repeats.
                    using var statement = session.Begin(ActionKind.Reclaim);
                    var evicted = running.Where(_ => random.Next(3) == 0).ToList();
                    evicted.ForEach(statement.Evict);
                    var named = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(2) == 0 && evicted.Count > 0 ? evicted[random.Next(evicted.Count)] : running[random.Next(running.Count)]).ToList();
                    var action = random.Next(2) == 0 ? ActionKind.Preempt : ActionKind.Reclaim;
                    var scenario = new EvictionScenario(random.Next(state.PodGroups.Count), named, [], new VictimSearchStart([], [], ResourceVector.Zero));
                    var expected = querying.Validate(session, action, scenario);
                    var actual = looping.Validate(session, action, scenario);
                    Assert.True(expected == actual && expected.Reason == actual.Reason, $"{action} [{string.Join(", ", named)}]: query {expected}, loop {actual}\n{sample.world}");
                    counts[expected.IsSuccess ? 0 : 1]++;
                    statement.Discard();
                }
            },
            iter: 600);

        Assert.True(counts[0] > 2_000 && counts[1] > 1_000, $"accepted {counts[0]}, refused {counts[1]}");
    }

    /// <summary>Each group started 0–15 minutes ago or never; each queue with its own min-runtimes now and then.</summary>
    private static ClusterState WithRandomStartsAndMinRuntimes(ClusterState state, Random random)
    {
        var withStarts = state with
        {
            PodGroups = [.. state.PodGroups.Select(g => g.WithStamps(random.Next(4) == 0 ? null : state.Now.AddMinutes(-random.Next(0, 16)), g.StaleSince))],
        };
        return withStarts with
        {
            Queues = [.. withStarts.Queues.Select(q => random.Next(2) == 0 ? q : q.WithMinRuntimes(RandomMinutes(random), RandomMinutes(random)))],
        };
    }

    private static TimeSpan? RandomMinutes(Random random) => random.Next(3) == 0 ? null : TimeSpan.FromMinutes(random.Next(0, 12));
}
