using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A search that keeps a try's books (nodes before, acted and disrupted groups) in sets it clears for each try
/// (<see cref="EvictionSolver.ReusesTryBooks"/>) ends as the search that makes new ones: a book left over from an earlier
/// try would change which victims are recorded or which groups the simulation walks.
/// </summary>
public sealed class TryBooksPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Solve_WithTryBooksReused_EndsAsTheSearchWithNewBooks()
    {
        var continued = 0;
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen(), RandomWorld.CrowdedGen() })
        {
            StepChainPropertyTests.CompareSearches(
                worlds,
                Iterations,
                (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { ReusesTryBooks = false },
                solver => Interlocked.Add(ref continued, solver.ContinuedSteps));
        }

        // Continued steps conclude a second try on the same search: the books were reused.
        Assert.True(continued > MinimumContinued, $"only {continued} steps continued");
    }

    private const int MinimumContinued = 500;
}
