using CsCheck;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The reclaim rules with a scenario's chunks listed in place (<see cref="ReclaimRules.ListsChunksInPlace"/>) answer as
/// the rules with the victims grouped by LINQ: the same refusal, word for word, or none — on random worlds and on gangs
/// of several pod sets, with victims in random order, some of them moved rather than evicted, and half the scenarios'
/// victims already in chunk order (which the in-place list does not sort: <see cref="ReclaimRules.SkipsSortInOrder"/>,
/// compared both on and off, the latter also finding groups through its dictionary, not by a scan).
/// </summary>
public sealed class ReclaimRulesPropertyTests
{
    private const int Iterations = 1500;

    private const int ScenariosPerWorld = 12;

    [Fact]
    public void Validate_WithChunksListedInPlace_AnswersAsTheGroupedRules()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var outcomes = new int[3];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                CompareOnRandomScenarios(session, new Random(sample.seed), outcomes, sample.world.Description);
            },
            iter: Iterations);

        AssertBothOutcomesSeen(outcomes);
    }

    [Fact]
    public void Validate_OnGangsOfSeveralPodSets_AnswersAsTheGroupedRules()
    {
        var outcomes = new int[3];
        Gen.Int[0, 1_000_000].Sample(
            seed =>
            {
                var random = new Random(seed);
                CompareOnRandomScenarios(PodSetWorld(random), random, outcomes, $"pod-set world {seed}");
            },
            iter: Iterations);

        AssertBothOutcomesSeen(outcomes);
    }

    /// <summary>
    /// Random victim sets of the running pods, shuffled or in chunk order, some moved, under random rule settings; counts
    /// accepted, refused, and scenarios of several victims given in chunk order.
    /// </summary>
    private static void CompareOnRandomScenarios(Session session, Random random, int[] outcomes, string description)
    {
        var pending = PendingGroups.WithPendingPods(session).Where(g => session.Snapshot.QueueOf(g) >= 0).ToList();
        var running = Enumerable.Range(0, session.Snapshot.Pods.Count)
            .Where(p => session.StatusOf(p).IsActiveAllocated() && session.Snapshot.QueueOf(session.Snapshot.GroupOf(p)) >= 0)
            .ToList();
        if (pending.Count == 0 || running.Count == 0)
        {
            return;
        }

        for (var i = 0; i < ScenariosPerWorld; i++)
        {
            var multiplier = new[] { 0.5, 1, 1.5, 2 }[random.Next(4)];
            var consolidating = random.Next(2) == 0;
            var grouped = new ReclaimRules(multiplier, consolidating) { ListsChunksInPlace = false };
            var inPlace = new ReclaimRules(multiplier, consolidating);
            // The sort done every time, and the groups found through the dictionary past the first.
            var alwaysSorted = new ReclaimRules(multiplier, consolidating) { SkipsSortInOrder = false, ChunkGroupsScanned = 1 };
            var preemptor = pending[random.Next(pending.Count)];

            // Two scenarios through one instance: its buffers are kept across scenarios.
            foreach (var (scenario, inChunkOrder) in new[] { RandomScenario(session, preemptor, running, random), RandomScenario(session, preemptor, running, random) })
            {
                var expected = grouped.Validate(session, scenario);
                var actual = inPlace.Validate(session, scenario);
                var sorted = alwaysSorted.Validate(session, scenario);
                Assert.True(expected == actual && expected == sorted, $"grouped: {expected ?? "accepted"}; in place: {actual ?? "accepted"}; always sorted: {sorted ?? "accepted"}\n{description}");
                Interlocked.Increment(ref outcomes[expected is null ? 0 : 1]);
                if (inChunkOrder && scenario.EvictedPods.Count + scenario.MovedPods.Count > 1)
                {
                    Interlocked.Increment(ref outcomes[2]);
                }
            }
        }
    }

    /// <summary>
    /// A random victim set: shuffled, some moved; or in chunk order (by queue, group, pod set, pod — each group's and pod
    /// set's victims together, queues ascending), evicted first and the rest moved, so that evicted-then-moved keeps it.
    /// </summary>
    private static (EvictionScenario Scenario, bool InChunkOrder) RandomScenario(Session session, int preemptor, List<int> running, Random random)
    {
        var snapshot = session.Snapshot;
        var victims = running.Where(_ => random.Next(3) == 0).OrderBy(_ => random.Next()).ToList();
        var inChunkOrder = random.Next(2) == 0;
        List<int> evicted, moved;
        if (inChunkOrder)
        {
            victims = [.. victims.OrderBy(p => snapshot.QueueOf(snapshot.GroupOf(p))).ThenBy(snapshot.GroupOf).ThenBy(snapshot.PodSetIndexOf).ThenBy(p => p)];
            var split = random.Next(victims.Count + 1);
            (evicted, moved) = (victims[..split], victims[split..]);
        }
        else
        {
            evicted = victims.Where(_ => random.Next(4) != 0).ToList();
            moved = victims.Except(evicted).ToList();
        }

        var start = new VictimSearchStart([.. session.Queues.Allocated], [.. session.Queues.AllocatedNonPreemptible], session.Quantum.InitRequest(preemptor).QueueResources);
        return (new EvictionScenario(preemptor, evicted, moved, start), inChunkOrder);
    }

    private static void AssertBothOutcomesSeen(int[] outcomes) =>
        Assert.True(
            outcomes[0] > MinimumOfEach && outcomes[1] > MinimumOfEach && outcomes[2] > MinimumOfEach,
            $"accepted {outcomes[0]}, refused {outcomes[1]}, several victims in chunk order {outcomes[2]}: too few of one to compare");

    private const int MinimumOfEach = 200;

    /// <summary>
    /// Queues a and b under one department and c under another, random GPU quotas; running gangs in b and c of two pod
    /// sets each (random minimums; one-GPU workers, two-GPU servers, so the order of a group's chunks matters), each gang on its
    /// own 12-GPU node; a pending gang in a.
    /// </summary>
    private static Session PodSetWorld(Random random)
    {
        var cluster = new Cluster()
            .WithoutDefaultQueue()
            .With(A.Queue("d1").Gpu(quota: random.Next(0, 20)), A.Queue("d2").Gpu(quota: random.Next(0, 20)))
            .With(A.Queue("a").Parent("d1").Gpu(quota: random.Next(0, 10)), A.Queue("b").Parent("d1").Gpu(quota: random.Next(0, 10)), A.Queue("c").Parent("d2").Gpu(quota: random.Next(0, 10)));
        var gangs = random.Next(1, 6);
        for (var g = 0; g < gangs; g++)
        {
            var (workers, servers) = (random.Next(1, 5), random.Next(1, 4));
            cluster.With(A.Node($"n{g}").Gpus(12));
            cluster.With(A.PodGroup($"g{g}").InQueue(random.Next(2) == 0 ? "b" : "c").Created(A.MinutesAgo(90 - g)).MinMember(random.Next(0, 4))
                .SubGroup("workers", random.Next(0, workers + 1)).SubGroup("servers", random.Next(0, servers + 1))
                .Members(workers, gpu: 1, with: p => p.InSubGroup("workers").Running($"n{g}"))
                .Members(servers, gpu: 2, with: p => p.InSubGroup("servers").Running($"n{g}")));
        }

        var size = random.Next(1, 5);
        cluster.With(A.Node("spare").Gpus(0));
        cluster.With(A.PodGroup("job").InQueue("a").MinMember(size).Created(A.MinutesAgo(1)).Members(size, gpu: 1));
        return cluster.Open();
    }
}
