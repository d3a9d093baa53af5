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
/// Searches whose eligibilities keep their verdicts in arrays (<see cref="VictimEligibility.KeepsVerdictsInArrays"/>) and
/// add up runs of one refusal text before writing them (<see cref="VictimEligibility.CountsRunsOfOneReason"/>) end exactly
/// as the same searches with dictionaries and every refusal written at once: the same filters asked in the same order,
/// the same failure, tries, eligible groups seen, rejections and pods — on random worlds where the action's walks are
/// shared, their memos lent from search to search and dropped by commits, with refusal texts that are one string per
/// leaf (as the proportion plugin's), one literal, or equal words in a new string at every refusal; walks over every
/// queue (memos in arrays) and confined to the preemptor's leaf (memos stay dictionaries) mixed.
/// </summary>
public sealed class VictimVerdictMemoPropertyTests
{
    private const int Iterations = 1000;

    [Fact]
    public void Solve_WithVerdictsInArraysAndRunsOfOneReason_EndsAsWithDictionariesAndEveryRefusalWritten()
    {
        var gen =
            from world in Gen.Frequency((1, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (2, RandomWorld.CrowdedGen(fewestDepartments: 3, mostDepartments: 5, mostRunning: 24)))
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var memosReused = 0;
        var runs = 0;
        var arrayMemos = 0;
        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var plain = Open(world, fast: false);
                var fast = Open(world, fast: true);
                var random = new Random(seed);
                var action = random.Next(2) == 0 ? ActionKind.Reclaim : ActionKind.Preempt;
                var pending = PendingGroups.WithPendingPods(plain.Session).ToList();
                for (var turn = 0; turn < Math.Min(10, pending.Count); turn++)
                {
                    var search = new Search(pending[random.Next(pending.Count)], random.Next(3), random.Next(3) == 0, random.Next(2) == 0, random.Next(3) == 0 ? 1 + random.Next(3) : int.MaxValue, random.Next(3) == 0);
                    var reference = Outcome(plain, action, search);
                    var outcome = Outcome(fast, action, search);
                    Assert.True(reference == outcome, $"turn {turn}: dictionaries and every refusal written gave\n{reference}\narrays and runs gave\n{outcome}\n{world}");
                }

                Interlocked.Add(ref memosReused, fast.Walks.MemosReused);
                Interlocked.Add(ref arrayMemos, fast.ArrayMemosLent);
                Interlocked.Add(ref runs, fast.RunsLongerThanOne);
            },
            iter: Iterations);

        // Memos must have been emptied and lent again, and refusals counted in runs, or this test shows nothing of them.
        Assert.True(memosReused > 1000, $"only {memosReused} searches were lent an earlier search's memo");
        Assert.True(arrayMemos > 1000, $"only {arrayMemos} searches kept their verdicts in arrays");
        Assert.True(runs > 1000, $"only {runs} refusals followed one with the very same text");
    }

    private static World Open(RandomWorld world, bool fast)
    {
        var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
        var catalog = new VictimCatalog(session);
        catalog.Sync();
        var walks = new SharedVictimWalk(session, catalog, sessionUnchangedBetweenUnits: true);
        var leafTexts = Enumerable.Range(0, session.Snapshot.Queues.Count).Select(q => $"in queue {q}, which would drop below its fair share").ToArray();
        return new World(session, catalog, new PendingOrder(session), walks, leafTexts, fast);
    }

    /// <summary>What one search ends with, and every filter asked in order (its solution committed or discarded as <paramref name="search"/> says).</summary>
    private static string Outcome(World world, ActionKind action, Search search)
    {
        var session = world.Session;
        var snapshot = session.Snapshot;
        var queue = snapshot.QueueOf(search.Preemptor);
        var asked = new List<string>();
        string? last = null;
        var eligibility = new VictimEligibility(
            search.Preemptor,
            g =>
            {
                asked.Add($"g{g}");
                var status = Refusal(world, search, queue, g) is { } reason ? PluginStatus.Unschedulable(reason) : PluginStatus.Success;
                world.RunsLongerThanOne += ReferenceEquals(status.Reason, last) && last is not null ? 1 : 0;
                last = status.Reason;
                return status;
            },
            search.QueueFilter
                ? q =>
                {
                    asked.Add($"q{q}");
                    return !snapshot.QueueAndAncestors(queue).Contains(q) && (q + search.Refused) % 4 == 0 ? PluginStatus.Unschedulable(world.LeafTexts[q]) : PluginStatus.Success;
                }
                : null)
        {
            OnlyLeaf = search.OwnQueueOnly ? queue : null,
            KeepsVerdictsInArrays = world.Fast,
            CountsRunsOfOneReason = world.Fast,
        };
        world.ArrayMemosLent += eligibility.WantsArrayMemo ? 1 : 0;
        var solver = new EvictionSolver(session, action, world.Catalog, world.PendingOrder, world.Walks);
        var solution = solver.Solve(search.Preemptor, eligibility, search.MaxVictimJobs, requireAllReplaced: false);
        var pods = Enumerable.Range(0, snapshot.Pods.Count)
            .Where(p => session.StatusOf(p) is PodStatus.Releasing or PodStatus.Pipelined)
            .Select(p => $"{snapshot.Pods[p].Name}:{session.StatusOf(p)}@{session.NodeOf(p)}");
        var rejections = string.Join(", ", eligibility.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"));
        var text = $"failure={solution.Failure ?? "none"} tries={solution.Tries} eligibleSeen={eligibility.EligibleSeen} rejected=[{rejections}]\n  asked {string.Join(" ", asked)}\n  {string.Join(", ", pods)}";
        if (solution.Statement is { } statement && search.Commit)
        {
            statement.Commit();
            world.Catalog.Sync();
            world.PendingOrder.Sync();
        }
        else
        {
            solution.Statement?.Discard();
        }

        return text;
    }

    /// <summary>
    /// Reclaim-like refusals: the own leaf's groups (a literal), leaves refused whole by a residue (one string per leaf, as
    /// the proportion plugin words them), and some groups by equal words in a new string at each refusal.
    /// </summary>
    private static string? Refusal(World world, Search search, int queue, int group)
    {
        var leaf = world.Session.Snapshot.QueueOf(group);
        return leaf == queue && search.SameQueueRefused ? "in the same queue"
            : (leaf + search.Refused) % 3 == 0 ? world.LeafTexts[leaf]
            : group % 5 == search.Refused ? string.Concat("non-", "preemptible")
            : null;
    }

    private sealed record World(Session Session, VictimCatalog Catalog, PendingOrder PendingOrder, SharedVictimWalk Walks, string[] LeafTexts, bool Fast)
    {
        public int RunsLongerThanOne { get; set; }

        public int ArrayMemosLent { get; set; }
    }

    private readonly record struct Search(int Preemptor, int Refused, bool SameQueueRefused, bool QueueFilter, int MaxVictimJobs, bool OwnQueueOnly)
    {
        public bool Commit => Refused == 2;
    }
}
