using CsCheck;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Solvers;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A victim search's first phase written into the workspace's kept books (<see cref="PendingOrder.LendsFirstPhaseBooks"/>)
/// replays as the phase with arrays of its own: whole searches of reclaim, preempt and consolidation, one after another on
/// one pending order (each search's phase written over the previous one's), end alike.
/// </summary>
public sealed class FirstPhaseBooksPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Solve_WithTheFirstPhaseInKeptBooks_EndsAsTheSearchWithItsOwnArrays()
    {
        var recorded = 0;
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen(), RandomWorld.CrowdedGen()),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            _ => { },
            session => new PendingOrder(session) { LendsFirstPhaseBooks = false },
            order => Interlocked.Add(ref recorded, order.Workspace.FirstPhaseBooks.Serial));

        // Many searches must have written their phase over an earlier one's, or this test shows nothing.
        Assert.True(recorded > 2_000, $"only {recorded} first phases written into the kept books");
    }

    /// <summary>A phase whose books a later search's phase took is refused, never replayed with that phase's numbers.</summary>
    [Fact]
    public void TryNext_WithAPhaseALaterPhaseWroteOver_Throws()
    {
        var checkedWorlds = 0;
        RandomWorld.Gen(withReleasing: false).Sample(
            world =>
            {
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var pendingOrder = new PendingOrder(session);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                var earlier = SimulationOrder.RecordFirstPhase(session, pendingOrder, pending[0]);
                var order = new SimulationOrder(session, pendingOrder, [pending[0]], earlier);
                Assert.True(order.TryNext(out var first) && first == pending[0]);
                SimulationOrder.RecordFirstPhase(session, pendingOrder, pending[^1]);
                var stale = new SimulationOrder(session, pendingOrder, [pending[0]], earlier);
                Assert.Throws<InvalidOperationException>(() => stale.TryNext(out _));
                Interlocked.Increment(ref checkedWorlds);
            },
            iter: 100);

        Assert.True(checkedWorlds > 50, $"only {checkedWorlds} worlds with a pending group");
    }
}
