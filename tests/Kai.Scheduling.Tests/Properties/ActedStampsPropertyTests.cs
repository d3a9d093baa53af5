using CsCheck;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A simulation order telling its acted groups by a stamp in the workspace (<see cref="PendingOrder.StampsActedGroups"/>)
/// walks as the order that builds a set of them per try: whole victim searches, chains resumed after later tries took
/// the workspace included, end alike. (<see cref="SimulationOrderPropertyTests"/> compares the stamped walk with a
/// <see cref="JobQueue"/> directly.)
/// </summary>
public sealed class ActedStampsPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Solve_WithActedGroupsStamped_EndsAsTheSearchWithASetPerTry()
    {
        var continued = 0;
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen()),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            solver => Interlocked.Add(ref continued, solver.ContinuationsAttempted),
            session => new PendingOrder(session) { StampsActedGroups = false });

        // Chains must have gone on (they resume their order after other tries' orders took the workspace).
        Assert.True(continued > 100, $"only {continued} continuations attempted");
    }
}
