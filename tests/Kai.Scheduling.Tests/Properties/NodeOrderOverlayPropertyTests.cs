using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A <see cref="NodeOrder"/> that moves nodes lazily (<see cref="NodeOrder.MoveLazily"/>: changed nodes wait in an overlay
/// the walks merge in) walks exactly as a sorted set moved at every change: directly, after random moves — most of them
/// away from a rank and back, as a try and its rollback make — read at every step by the walks that merge the overlay
/// (first node, bounded first node, the cursors) and now and then by those that move the overlaid nodes first (iterators,
/// reverse order); and in whole cycles (<c>Session.OverlaysNodeOrderMoves</c>), whose decisions and explanations must be
/// those of an index that moves every node in its buckets at once.
/// </summary>
public sealed class NodeOrderOverlayPropertyTests
{
    private const int CycleIterations = 800;

    // Node, free and total amounts (few values: buckets shared, ratios repeated, some nodes without the resource), and
    // whether the step moves the node back to its first rank (a rollback) rather than to the drawn one.
    private static readonly Gen<(int Node, int Free, int Total, bool Back)[]> MovesGen =
        Gen.Select(Gen.Int[0, 40], Gen.Int[-1, 8], Gen.Int[0, 3].Select(i => i == 0 ? 0 : 2 << (i - 1)), Gen.Int[0, 2].Select(r => r == 0)).Array[1, 150];

    [Theory]
    [InlineData(PlacementStrategy.Binpack)]
    [InlineData(PlacementStrategy.Spread)]
    public void Walks_AfterRandomLazyMoves_EqualTheSortedSets(PlacementStrategy strategy)
    {
        var overlaid = 0;
        Gen.Select(MovesGen, Gen.Int[0, 9]).Sample(
            sample => Interlocked.Add(ref overlaid, AssertLazyMovesWalkAsSortedSet(strategy, sample.Item1, flushEvery: sample.Item2)),
            iter: 500);

        // Walks must have merged a non-empty overlay often, or the overlay was not tested.
        Assert.True(overlaid > 5_000, $"only {overlaid} reads found nodes overlaid");
    }

    [Fact]
    public void RunCycle_WithLazyMoves_DecidesAsMovingInTheBuckets()
    {
        var worlds = Gen.Frequency((2, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (1, RandomWorld.Gen(withReleasing: false)), (2, RandomWorld.CrowdedGen()));
        var returns = 0;
        worlds.Sample(
            world =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                var (reference, _) = Run(engine, world, lazily: false);
                var (outcome, returned) = Run(engine, world, lazily: true);
                Interlocked.Add(ref returns, returned);
                Assert.True(reference == outcome, $"moving in the buckets:\n{reference}\nmoving lazily:\n{outcome}\n{world}");
            },
            iter: CycleIterations);

        // Nodes must have come back to their ranks while overlaid, or the shortcut was not taken.
        Assert.True(returns > 500, $"only {returns} overlaid nodes came back to their ranks");
    }

    /// <summary>Applies the moves lazily and to a sorted set, comparing the walks after each; returns how many reads found nodes overlaid.</summary>
    private static int AssertLazyMovesWalkAsSortedSet(PlacementStrategy strategy, (int Node, int Free, int Total, bool Back)[] moves, int flushEvery)
    {
        var comparer = NodeRankComparer.For(strategy);
        var order = new NodeOrder(comparer, 8);
        var reference = new SortedSet<NodeRank>(comparer);
        var first = new Dictionary<int, NodeRank>();
        var current = new Dictionary<int, NodeRank>();
        var overlaidReads = 0;
        for (var step = 0; step < moves.Length; step++)
        {
            var (node, free, total, back) = moves[step];
            var rank = new NodeRank(free * 1000L, total * 1000L, node);
            if (!current.TryGetValue(node, out var old))
            {
                order.Add(rank);
                reference.Add(rank);
                first[node] = current[node] = rank;
                continue;
            }

            var to = back ? first[node] : rank;
            order.MoveLazily(old, to);
            reference.Remove(old);
            reference.Add(to);
            current[node] = to;
            overlaidReads += order.OverlayCount > 0 ? 1 : 0;
            AssertSameMergedWalks(order, reference);
            if (flushEvery > 0 && step % flushEvery == 0)
            {
                // The iterators move the overlaid nodes into the buckets first.
                Assert.Equal(reference, order);
                Assert.Equal(reference.Reverse(), order.Reverse());
                Assert.Equal(0, order.OverlayCount);
            }
        }

        return overlaidReads;
    }

    /// <summary>The walks that merge the overlay in (they leave it as it is), against the sorted set's.</summary>
    private static void AssertSameMergedWalks(NodeOrder order, SortedSet<NodeRank> reference)
    {
        var overlaid = order.OverlayCount;
        Assert.Equal(reference.Count, order.Count);
        Assert.Equal(reference.Count == 0 ? null : reference.Min, order.Min);
        Assert.Equal(reference, Walk(order.All()));
        var binpack = ReferenceEquals(reference.Comparer, NodeRankComparer.For(PlacementStrategy.Binpack));
        var upper = binpack ? new NodeRank(long.MaxValue, 1, int.MaxValue) : new NodeRank(-(1L << 50), 1, int.MaxValue);
        for (var need = -1000L; need <= 9000; need += 500)
        {
            var lower = new NodeRank(need, binpack ? 1 : 8000, int.MinValue);
            var view = reference.GetViewBetween(lower, upper);
            Assert.Equal(view, Walk(order.CursorBetween(lower, upper)));
            Assert.Equal(view.Count == 0 ? null : view.Min, order.FirstBetween(lower, upper));

            // Bounded above below the top as well, so that overlaid nodes past the bound are left out.
            var midUpper = binpack ? new NodeRank(need + 2000, 8000, 20) : new NodeRank(need - 2000, 8000, 20);
            if (reference.Comparer.Compare(lower, midUpper) <= 0)
            {
                var midView = reference.GetViewBetween(lower, midUpper);
                Assert.Equal(midView, Walk(order.CursorBetween(lower, midUpper)));
                Assert.Equal(midView.Count == 0 ? null : midView.Min, order.FirstBetween(lower, midUpper));
            }

            var bound = reference.Count > 0 && need > 0 ? reference.ElementAt((int)(need / 500) % reference.Count) : lower;
            Assert.Equal(reference.Where(r => reference.Comparer.Compare(r, bound) > 0), Walk(order.CursorAfter(bound)));
        }

        Assert.Equal(overlaid, order.OverlayCount);
    }

    private static List<NodeRank> Walk(NodeOrder.Cursor cursor)
    {
        var walked = new List<NodeRank>();
        while (cursor.MoveNext())
        {
            walked.Add(cursor.Current);
        }

        return walked;
    }

    /// <summary>One cycle with every action; its decisions and explanations as text, and how many overlaid nodes came back.</summary>
    private static (string Outcome, int Returns) Run(SchedulingEngine engine, RandomWorld world, bool lazily)
    {
        using var cycle = engine.StartCycle(SnapshotBuilder.Build(world.State));
        while (cycle.OpenNextPlugin())
        {
        }

        cycle.Session.OverlaysNodeOrderMoves = lazily;
        foreach (var action in new[] { ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction })
        {
            cycle.Run(action);
        }

        var returns = cycle.Session.NodeIndex.OverlayReturns;
        var result = cycle.Finish();
        var decisions = result.Decisions.Select(d => $"{d.Action} {d.Kind} {d.Pod} -> {d.Node}");
        var explanations = result.Explanations.Select(e => $"{e.Group} {e.Reason}: {e.FullMessage}");
        return (string.Join("\n", decisions.Concat(explanations)), returns);
    }
}
