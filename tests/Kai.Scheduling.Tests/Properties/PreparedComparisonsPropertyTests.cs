using CsCheck;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A simulation order whose pass-overs read the steady parts of their remembered comparisons' keys once
/// (<see cref="PendingOrder.PreparesComparisons"/>) walks as the order that makes every key whole: whole victim searches
/// end alike — also when the states' numbers are given anew every few states, so that prepared keys go stale in the
/// middle of a pass-over. (<see cref="SimulationOrderPropertyTests"/> compares the walk with a <see cref="JobQueue"/>.)
/// </summary>
public sealed class PreparedComparisonsPropertyTests
{
    private const int Iterations = 1000;

    [Fact]
    public void Solve_WithPreparedComparisons_EndsAsTheSearchMakingEveryKey()
    {
        var prepared = 0;
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen(), RandomWorld.CrowdedGen(mostDepartments: 4)),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            _ => { },
            session => new PendingOrder(session) { PreparesComparisons = false },
            countedOrder: order => Interlocked.Add(ref prepared, order.PreparedComparisons));

        Assert.True(prepared > 1000, $"only {prepared} comparisons made from prepared keys");
    }

    [Fact]
    public void Solve_WithStatesNumberedAnewOften_EndsAsTheSearchWithTheDefaultBooks()
    {
        var orders = new System.Collections.Concurrent.ConcurrentBag<PendingOrder>();
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(mostDepartments: 4)),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            _ => { },
            session =>
            {
                var order = new PendingOrder(session) { MaxRememberedStates = 3 };
                orders.Add(order);
                return order;
            });

        // The states were numbered anew under prepared keys, which were then made whole again.
        var renumbered = orders.Sum(order => order.StatesNumberedAnew);
        var stale = orders.Sum(order => order.StalePreparedKeys);
        Assert.True(stale > 20, $"only {stale} prepared keys went stale");
        Assert.True(renumbered > 100, $"states numbered anew only {renumbered} times");
    }
}
