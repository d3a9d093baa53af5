using CsCheck;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A preemptor that takes its victim units from walks other preemptors wrote — agreeing with their verdicts, or following
/// them across contested top-level queues (<see cref="ContestedQueues"/>) — gets exactly the units of its own walk, in
/// the same order, and counts the same eligible groups and rejections: on random clusters with several departments,
/// with victim filters that differ by queue as reclaim's do. Unit by unit rather than through a search's outcome, so a
/// wrong unit shows even where the search would end the same. The walk alone asks every verdict each time it looks (the
/// shared walks ask each once: <see cref="VictimQueue.AsksEachVerdictOnce"/>).
/// </summary>
public sealed class ContestedQueuesPropertyTests
{
    private const int Iterations = 10_000;

    // Units compared per preemptor at most (the walks of the worlds are shorter than this as a rule).
    private const int MostUnits = 400;

    [Fact]
    public void Walk_TakenFromOtherPreemptorsWalks_GivesTheUnitsOfItsOwnWalk()
    {
        var gen =
            from world in Gen.Frequency((1, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (3, RandomWorld.CrowdedGen(fewestDepartments: 2, mostDepartments: 5, mostRunning: 24)))
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var followed = 0;

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var catalog = new VictimCatalog(session);
                catalog.Sync();
                var walks = new SharedVictimWalk(session, catalog, sessionUnchangedBetweenUnits: true);
                var random = new Random(seed);
                var groups = Enumerable.Range(0, session.Snapshot.Groups.Count).Where(g => session.Snapshot.QueueOf(g) >= 0).ToList();
                for (var turn = 0; turn < Math.Min(12, groups.Count); turn++)
                {
                    var filters = new Filters(groups[random.Next(groups.Count)], random.Next(3), random.Next(2) == 0, random.Next(6) == 0);
                    var alone = Walked(session, filters, eligibility => new VictimQueue(session, eligibility, catalog) { SessionUnchangedBetweenUnits = true, AsksEachVerdictOnce = false }.TryNext);
                    var units = walks.For(filters.Eligibility(session));
                    var together = Walked(session, filters, _ => units.Walk().TryNext, units);
                    Assert.True(alone == together, $"turn {turn}, preemptor {session.Snapshot.Groups[filters.Preemptor].Name}: walking alone gave\n{alone}\ntaking units from the shared walks gave\n{together}\n{world}");
                }

                Interlocked.Add(ref followed, walks.UnitsFollowedAcrossContestedQueues);
            },
            iter: Iterations);

        // Units must have been taken across contested queues, or this test shows nothing of them.
        Assert.True(followed > 10_000, $"only {followed} units were taken from another preemptor's walk across contested queues");
    }

    /// <summary>Every unit a walk gives (up to <see cref="MostUnits"/>), with the eligible groups seen and rejections counted.</summary>
    private static string Walked(Session session, Filters filters, Func<VictimEligibility, NextUnit> walkOf, VictimUnits? units = null)
    {
        var eligibility = units is null ? filters.Eligibility(session) : filters.Last!;
        var next = walkOf(eligibility);
        var text = new System.Text.StringBuilder();
        var count = 0;
        while (count < MostUnits && next(out var group, out var unit))
        {
            text.Append($"{group}:[{string.Join(",", unit)}] ");
            count++;
        }

        var rejections = string.Join(", ", eligibility.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"));
        return $"units={count} eligibleSeen={eligibility.EligibleSeen} rejected=[{rejections}]\n  {text}";
    }

    private delegate bool NextUnit(out int group, out List<int> unit);

    /// <summary>
    /// Filters that differ by queue, as reclaim's: the preemptor's own leaf refused, leaves refused by a residue of the
    /// preemptor's queue, queues off the preemptor's path refused whole (<see cref="QueueFilter"/>), and groups that no
    /// preemptor may take (a residue of the group, the same for all).
    /// </summary>
    private sealed record Filters(int Preemptor, int Salt, bool QueueFilter, bool OwnLeafOnly)
    {
        /// <summary>The eligibility last made (the one the shared walk's units were asked with).</summary>
        public VictimEligibility? Last { get; private set; }

        public VictimEligibility Eligibility(Session session)
        {
            var snapshot = session.Snapshot;
            var queue = snapshot.QueueOf(Preemptor);
            var salt = queue + Salt;
            Last = new VictimEligibility(
                Preemptor,
                g => snapshot.QueueOf(g) == queue ? PluginStatus.Unschedulable("in the same queue")
                    : Salt == 0 && (snapshot.QueueOf(g) + salt) % 5 == 0 ? PluginStatus.Unschedulable("refused leaf")
                    : g % 7 == 0 ? PluginStatus.Unschedulable("non-preemptible")
                    : PluginStatus.Success,
                QueueFilter
                    ? q => !snapshot.QueueAndAncestors(queue).Contains(q) && (q + salt) % 4 == 0 ? PluginStatus.Unschedulable("refused queue") : PluginStatus.Success
                    : null)
            {
                OnlyLeaf = OwnLeafOnly ? queue : null,
            };
            return Last;
        }
    }
}
