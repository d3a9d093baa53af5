using System.Collections.Concurrent;
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
        var (recorded, replayed) = (0, 0);
        var referenceOrders = new ConcurrentBag<PendingOrder>();
        StepChainPropertyTests.CompareSearches(
            Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen(), RandomWorld.CrowdedGen()),
            Iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order),
            _ => { },
            session =>
            {
                var reference = new PendingOrder(session) { LendsFirstPhaseBooks = false };
                referenceOrders.Add(reference);
                return reference;
            },
            order =>
            {
                Interlocked.Add(ref recorded, order.Workspace.FirstPhaseBooks.Serial);
                Interlocked.Add(ref replayed, order.FirstPhasesReplayed);
            });

        // The same tries replay their phase (a phase that refused a replay it should take would still end alike).
        Assert.Equal(referenceOrders.Sum(o => o.FirstPhasesReplayed), replayed);
        Assert.True(replayed > 1_000, $"only {replayed} tries replayed their first phase");

        // Many searches must have written their phase over an earlier one's, or this test shows nothing.
        Assert.True(recorded > 2_000, $"only {recorded} first phases written into the kept books");
    }

    /// <summary>
    /// Each pending group's first phase, recorded one after another into the kept books, holds what the phase with its
    /// own arrays holds: where each leaf stood, what each queue gave, the top-level queues that gave and the worst of them.
    /// </summary>
    [Fact]
    public void RecordFirstPhase_OneAfterAnotherInKeptBooks_HoldsThePhaseWithItsOwnArrays()
    {
        var compared = 0;
        Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen()).Sample(
            world =>
            {
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var (lent, own) = (new PendingOrder(session), new PendingOrder(session) { LendsFirstPhaseBooks = false });
                foreach (var preemptor in PendingGroups.WithPendingPods(session).ToList())
                {
                    var (kept, reference) = (SimulationOrder.RecordFirstPhase(session, lent, preemptor), SimulationOrder.RecordFirstPhase(session, own, preemptor));
                    Assert.Equal(Text(reference), Text(kept));
                    Interlocked.Increment(ref compared);
                }
            },
            iter: 400);

        Assert.True(compared > 2_000, $"only {compared} first phases compared");
    }

    private static string Text(SimulationOrder.FirstPhase phase) =>
        $"{phase.Preemptor} heads {string.Join(',', phase.Heads)} consumed {string.Join(',', phase.Consumed)} tops {string.Join(',', phase.TopLevels.Order())} worst {phase.Worst}";

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
