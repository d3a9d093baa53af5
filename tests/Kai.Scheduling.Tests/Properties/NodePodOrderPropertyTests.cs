using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A pod that changes status on its node keeps its place in the node's pod list (<see cref="Session.KeepPlaceOnStatusChange"/>):
/// evictions in any order leave the same lists, a rollback leaves the lists it found, and a victim search decides
/// exactly as it did when every status change took the pod off and appended it again.
/// </summary>
public sealed class NodePodOrderPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Evict_InAnyOrderThenRolledBack_LeavesTheSamePodLists()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var evicted = 0;
        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var random = new Random(seed);
                var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p) == PodStatus.Running).ToList();
                var chosen = running.Where(_ => random.Next(3) == 0).ToArray();
                var before = PodLists(session);

                var statement = session.Begin(ActionKind.Reclaim);
                foreach (var pod in chosen)
                {
                    statement.Evict(pod);
                }

                var forward = PodLists(session);
                statement.Discard();
                Assert.Equal(before, PodLists(session));

                random.Shuffle(chosen);
                var other = session.Begin(ActionKind.Reclaim);
                foreach (var pod in chosen)
                {
                    other.Evict(pod);
                }

                Assert.Equal(forward, PodLists(session));
                other.Discard();
                Assert.Equal(before, PodLists(session));
                Interlocked.Add(ref evicted, chosen.Length);
            },
            iter: Iterations);

        Assert.True(evicted > 1000, $"only {evicted} pods were evicted");
    }

    [Fact]
    public void Solve_WithPodsKeepingTheirPlace_DecidesAsWithPodsAppended()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var solved = 0;
        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var kept = Open(world, keepPlace: true);
                var appended = Open(world, keepPlace: false);
                var random = new Random(seed);
                var action = new[] { ActionKind.Reclaim, ActionKind.Preempt, ActionKind.Consolidation }[random.Next(3)];
                var searches = new Searches(kept, action);
                var reference = new Searches(appended, action);
                foreach (var preemptor in PendingGroups.WithPendingPods(kept).ToList())
                {
                    // Commit some solutions, so later searches run on sessions whose pod lists the commits reordered.
                    var commit = random.Next(3) > 0;
                    var outcome = searches.Solve(preemptor, commit);
                    var expected = reference.Solve(preemptor, commit);
                    Assert.True(expected == outcome, $"{kept.Snapshot.Groups[preemptor].Name} ({action}): with pods appended\n{expected}\nwith pods keeping their place\n{outcome}\n{world}");
                    Interlocked.Increment(ref solved);
                }
            },
            iter: Iterations);

        Assert.True(solved > 1000, $"only {solved} searches were compared");
    }

    private static Session Open(RandomWorld world, bool keepPlace)
    {
        var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
        session.KeepPlaceOnStatusChange = keepPlace;
        return session;
    }

    private static List<int[]> PodLists(Session session) =>
        [.. Enumerable.Range(0, session.Snapshot.Nodes.Count).Select(n => session.NodeAt(n).Pods.ToArray())];

    /// <summary>One session's searches, one after another, with the books they share.</summary>
    private sealed class Searches(Session session, ActionKind action)
    {
        private readonly VictimCatalog _catalog = NewCatalog(session);
        private readonly PendingOrder _pending = new(session);

        public string Solve(int preemptor, bool commit)
        {
            _catalog.Sync();
            _pending.Sync();
            var eligibility = new VictimEligibility(preemptor, g => g % 5 == 0 ? PluginStatus.Unschedulable("refused") : PluginStatus.Success);
            var solver = new EvictionSolver(session, action, _catalog, _pending);
            var solution = solver.Solve(preemptor, eligibility, int.MaxValue, action == ActionKind.Consolidation);
            var pods = Enumerable.Range(0, session.Snapshot.Pods.Count)
                .Where(p => session.StatusOf(p) is PodStatus.Releasing or PodStatus.Pipelined)
                .Select(p => $"{session.Snapshot.Pods[p].Name}:{session.StatusOf(p)}@{session.NodeOf(p)}{Gpus(session, p)}");
            var operations = solution.Statement?.TouchedPods().Select(t => $"{session.Snapshot.Pods[t.Pod].Name}({t.Before}@{t.BeforeNode})") ?? [];
            var text = $"failure={solution.Failure ?? "none"} tries={solution.Tries} eligibleSeen={eligibility.EligibleSeen}\n  {string.Join(", ", pods)}\n  touched: {string.Join(", ", operations)}";
            if (commit && solution.Statement is { } statement)
            {
                statement.Commit();
            }
            else
            {
                solution.Statement?.Discard();
            }

            return text;
        }

        private static VictimCatalog NewCatalog(Session session)
        {
            var catalog = new VictimCatalog(session);
            catalog.Sync();
            return catalog;
        }
    }

    private static string Gpus(Session session, int pod) =>
        session.GroupsHeld(pod) is { } groups ? $"[{string.Join("+", groups.Select(g => g.Id))}]" : string.Empty;
}
