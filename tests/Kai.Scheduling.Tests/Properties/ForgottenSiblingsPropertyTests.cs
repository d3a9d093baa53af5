using CsCheck;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A victim walk whose rankings look again only at the children forgotten since they last looked
/// (<see cref="VictimQueue.LooksOnlyAtForgottenSiblings"/>) takes the units of a walk that goes over every child at each
/// look, in the same order, and asks the same verdicts in the same order — on random clusters with several departments,
/// with victim filters that refuse groups, leaves and whole queues (so subtrees are dropped part way), and walks on books
/// a dropped walk left (emptied) as well as on new ones.
/// </summary>
public sealed class ForgottenSiblingsPropertyTests
{
    private const int Iterations = 3_000;

    [Fact]
    public void Walk_LookingOnlyAtForgottenSiblings_TakesTheUnitsAndAsksTheVerdictsOfTheWalkThatLooksAtEvery()
    {
        var gen =
            from world in Gen.Frequency((1, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (3, RandomWorld.CrowdedGen(fewestDepartments: 2, mostDepartments: 5, mostRunning: 24)))
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var units = 0;
        var several = 0;

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var catalog = new VictimCatalog(session);
                catalog.Sync();
                var random = new Random(seed);
                var groups = Enumerable.Range(0, session.Snapshot.Groups.Count).Where(g => session.Snapshot.QueueOf(g) >= 0).ToList();
                VictimQueueBooks? spare = null;
                for (var turn = 0; turn < Math.Min(6, groups.Count); turn++)
                {
                    var filters = new Filters(groups[random.Next(groups.Count)], random.Next(3), random.Next(2) == 0, random.Next(8) == 0);
                    var reference = Walked(new VictimQueue(session, filters.Eligibility(session), catalog) { SessionUnchangedBetweenUnits = true, LooksOnlyAtForgottenSiblings = false, Verdicts = [] });
                    var listing = new VictimQueue(session, filters.Eligibility(session), catalog, spare?.Emptied()) { SessionUnchangedBetweenUnits = true, Verdicts = [] };
                    var outcome = Walked(listing);
                    Assert.True(reference.Text == outcome.Text, $"turn {turn}, preemptor {session.Snapshot.Groups[filters.Preemptor].Name}: looking at every child gave\n{reference.Text}\nlooking only at those forgotten gave\n{outcome.Text}\n{world}");
                    spare = listing.Books;
                    Interlocked.Add(ref units, reference.Units);
                    Interlocked.Add(ref several, listing.SeveralForgotten);
                }
            },
            iter: Iterations);

        // Walks long enough, and looks where several children had been forgotten (the list sorted), or this shows little.
        Assert.True(units > 20_000, $"only {units} units walked");
        Assert.True(several > 4_000, $"({units} units) only {several} looks found several children forgotten");
    }

    /// <summary>Every unit the walk gives, each with the verdicts asked while finding it, then the counts of its eligibility.</summary>
    private static (string Text, int Units) Walked(VictimQueue walk)
    {
        var text = new System.Text.StringBuilder();
        var count = 0;
        var asked = 0;
        while (walk.TryNext(out var group, out var unit))
        {
            text.Append($"{group}:[{string.Join(",", unit)}] after ");
            for (; asked < walk.Verdicts!.Count; asked++)
            {
                var verdict = walk.Verdicts[asked];
                text.Append($"{(verdict.IsQueue ? "q" : "g")}{verdict.Id}/{verdict.Groups}={verdict.Answer} ");
            }

            text.Append('\n');
            count++;
        }

        text.Append($"end after {string.Join(" ", walk.Verdicts!.Skip(asked).Select(v => $"{(v.IsQueue ? "q" : "g")}{v.Id}/{v.Groups}={v.Answer}"))}");
        return (text.ToString(), count);
    }

    /// <summary>Victim filters that differ by preemptor: its own queue's groups refused, and some leaves, groups and queues.</summary>
    private sealed record Filters(int Preemptor, int Salt, bool QueueFilter, bool OwnLeafOnly)
    {
        public VictimEligibility Eligibility(Session session)
        {
            var snapshot = session.Snapshot;
            var queue = snapshot.QueueOf(Preemptor);
            var salt = queue + Salt;
            return new VictimEligibility(
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
        }
    }
}
