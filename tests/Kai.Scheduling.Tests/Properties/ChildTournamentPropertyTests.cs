using CsCheck;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A <see cref="ChildTournament"/> names the best and second-best of its children as a scan over all of them does,
/// after any run of changes played one slot at a time or all at once; and a simulation order that finds a department's
/// best team with one (<see cref="PendingOrder.PlaysChildTournaments"/>) walks as the order that scans every team:
/// whole victim searches end alike. (<see cref="SimulationOrderPropertyTests"/> compares the walk with a
/// <see cref="JobQueue"/> directly, tournaments on.)
/// </summary>
public sealed class ChildTournamentPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void TryBest_AfterRandomChanges_NamesTheBestTwoOfAScan()
    {
        // Children with a key each (equal keys told apart by the slot, so the order is strict); each change takes a
        // slot out or gives it a new key, and the changed slots are played up one by one or all at once.
        var gen =
            from slots in Gen.Int[1, 40]
            from changes in Gen.Select(Gen.Int[0, 39], Gen.Int[-1, 20], Gen.Bool).Array[1, 6].Array[1, 12]
            select (slots, changes);

        gen.Sample(
            sample =>
            {
                var (slots, rounds) = sample;
                var keys = new int?[slots];
                var tournament = new ChildTournament(slots);
                var judge = new KeyJudge();
                var stamp = 0L;
                foreach (var round in rounds)
                {
                    var changed = new HashSet<int>();
                    foreach (var (slot, key, _) in round)
                    {
                        var s = slot % slots;
                        keys[s] = key < 0 ? null : key;
                        tournament.Enter(s, ++stamp, keys[s] is { } k ? new QueueCandidate(s, k) : null);
                        changed.Add(s);
                    }

                    if (round[0].Item3)
                    {
                        tournament.PlayAll(judge);
                    }
                    else
                    {
                        foreach (var s in changed)
                        {
                            tournament.PlayUp(s, judge);
                        }
                    }

                    var scan = Enumerable.Range(0, slots).Where(s => keys[s] is not null)
                        .Select(s => new QueueCandidate(s, keys[s]!.Value)).Order(judge).ToList();
                    var found = tournament.TryBest(judge, out var best, out var runnerUp);
                    Assert.Equal(scan.Count > 0, found);
                    if (found)
                    {
                        Assert.Equal(scan[0], best);
                        Assert.Equal(scan.Count > 1 ? scan[1] : null, runnerUp);
                    }
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void Solve_WithChildTournaments_EndsAsTheSearchThatScansEveryChild()
    {
        var continued = 0;
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen(), RandomWorld.CrowdedGen(mostDepartments: 4)),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            solver => Interlocked.Add(ref continued, solver.ContinuationsAttempted),
            session => new PendingOrder(session) { PlaysChildTournaments = false });

        Assert.True(continued > 100, $"only {continued} continuations attempted");
    }

    /// <summary>Orders candidates by their job number, then their queue: strict, as queue order is.</summary>
    private sealed class KeyJudge : ICandidateJudge, IComparer<QueueCandidate>
    {
        public int Compare(in QueueCandidate left, in QueueCandidate right)
        {
            var byKey = left.BestJob.CompareTo(right.BestJob);
            return byKey != 0 ? byKey : left.Queue.CompareTo(right.Queue);
        }

        int IComparer<QueueCandidate>.Compare(QueueCandidate left, QueueCandidate right) => Compare(left, right);
    }
}
