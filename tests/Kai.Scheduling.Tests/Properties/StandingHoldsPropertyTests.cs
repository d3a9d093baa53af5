using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Step proofs that read the search's standing room in place, capped at their number of pods where read
/// (<see cref="EvictionSolver.ShareStandingHolds"/>), end as proofs with a capped copy each: the same outcome, and the same
/// tries failed by a proof (a wrong count as the session stands would prove other tries failed, or none).
/// </summary>
public sealed class StandingHoldsPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Solve_WithStandingHoldsShared_EndsAsTheSearchWithACopyPerStep()
    {
        var withRoomAsItStands = 0;
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen() })
        {
            StepChainPropertyTests.CompareSearches(
                worlds,
                Iterations,
                (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { ShareStandingHolds = false },
                solver => Interlocked.Add(ref withRoomAsItStands, solver.ProvenWithRoomAsItStands),
                alsoCompared: solver => $"proven failures: {solver.ProvenFailures}, with room as it stands: {solver.ProvenWithRoomAsItStands}");
        }

        // Proofs must have read the room as the session stands, or this test shows nothing.
        Assert.True(withRoomAsItStands > MinimumWithRoom, $"only {withRoomAsItStands} proven failures counted the room as it stands");
    }

    private const int MinimumWithRoom = 100;
}
