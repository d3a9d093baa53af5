using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Placement;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The bucketed <see cref="NodeOrder"/> must hold and walk nodes exactly as the sorted set it replaced, with the
/// same comparer: after random adds, moves and removes (each node at one rank at a time, as the index keeps them),
/// its order, first node, reverse order and every lower/upper-bounded view equal the sorted set's, walked with its
/// iterators and with its cursors (<see cref="NodeOrder.Cursor"/>). Amounts are drawn
/// from a few values so that many nodes share a bucket, ratios repeat in different fractions (2/4, 4/8) and some
/// nodes have none of the resource.
/// </summary>
public sealed class NodeOrderPropertyTests
{
    private static readonly Gen<(int Node, int Free, int Total, bool Remove)[]> OperationsGen =
        Gen.Select(Gen.Int[0, 40], Gen.Int[-1, 8], Gen.Int[0, 3].Select(i => i == 0 ? 0 : 2 << (i - 1)), Gen.Int[0, 5].Select(r => r == 0)).Array[1, 120];

    [Theory]
    [InlineData(PlacementStrategy.Binpack)]
    [InlineData(PlacementStrategy.Spread)]
    public void Walks_AfterRandomMoves_EqualTheSortedSets(PlacementStrategy strategy)
    {
        OperationsGen.Sample(operations => AssertSameAsSortedSet(strategy, operations), iter: 500);
    }

    [Fact]
    public void Between_WithBinpacksGpuBounds_SkipsNodesWithLessAndNodesWithoutTheResource()
    {
        var order = new NodeOrder(NodeRankComparer.For(PlacementStrategy.Binpack));
        order.Add(new NodeRank(3000, 8000, 0));
        order.Add(new NodeRank(1000, 8000, 1));
        order.Add(new NodeRank(5000, 0, 2));
        order.Add(new NodeRank(3000, 8000, 3));

        var view = order.Between(new NodeRank(2000, 1, int.MinValue), new NodeRank(long.MaxValue, 1, int.MaxValue));

        Assert.Equal([0, 3], view.Select(r => r.Node));
        Assert.Equal(0, order.FirstBetween(new NodeRank(2000, 1, int.MinValue), new NodeRank(long.MaxValue, 1, int.MaxValue))?.Node);
        Assert.Null(order.FirstBetween(new NodeRank(4000, 1, int.MinValue), new NodeRank(long.MaxValue, 1, int.MaxValue)));
    }

    private static void AssertSameAsSortedSet(PlacementStrategy strategy, (int Node, int Free, int Total, bool Remove)[] operations)
    {
        var comparer = NodeRankComparer.For(strategy);
        var order = new NodeOrder(comparer);
        var reference = new SortedSet<NodeRank>(comparer);
        var current = new Dictionary<int, NodeRank>();
        foreach (var (node, free, total, remove) in operations)
        {
            var rank = new NodeRank(free * 1000L, total * 1000L, node);
            var had = current.TryGetValue(node, out var old);
            if (remove)
            {
                Assert.Equal(had && reference.Remove(old), had && order.Remove(old));
                current.Remove(node);
            }
            else if (had)
            {
                order.Move(old, rank);
                reference.Remove(old);
                reference.Add(rank);
                current[node] = rank;
            }
            else
            {
                order.Add(rank);
                reference.Add(rank);
                current[node] = rank;
            }

            AssertSameWalks(order, reference);
        }
    }

    private static void AssertSameWalks(NodeOrder order, SortedSet<NodeRank> reference)
    {
        Assert.Equal(reference.Count, order.Count);
        Assert.Equal(reference, order);
        Assert.Equal(reference, Walk(order.All()));
        Assert.Equal(reference.Reverse(), order.Reverse());
        Assert.Equal(reference.Count == 0 ? null : reference.Min, order.Min);
        // Binpack's bounds are the walk's (at least this much free, has the resource); spread's run from a ratio
        // (free of 8 units) to below every rank.
        var binpack = ReferenceEquals(reference.Comparer, NodeRankComparer.For(PlacementStrategy.Binpack));
        var upper = binpack ? new NodeRank(long.MaxValue, 1, int.MaxValue) : new NodeRank(-(1L << 50), 1, int.MaxValue);
        for (var need = -1000L; need <= 9000; need += 500)
        {
            var lower = new NodeRank(need, binpack ? 1 : 8000, int.MinValue);
            var view = reference.GetViewBetween(lower, upper);
            Assert.Equal(view, order.Between(lower, upper));
            Assert.Equal(view, Walk(order.CursorBetween(lower, upper)));
            Assert.Equal(view.Count == 0 ? null : view.Min, order.FirstBetween(lower, upper));

            // After a rank (the search trail's walk): bounds that are nodes' ranks as well as ranks between nodes.
            var bound = reference.Count > 0 && need > 0 ? reference.ElementAt((int)(need / 500) % reference.Count) : lower;
            var after = reference.Where(r => reference.Comparer.Compare(r, bound) > 0).ToList();
            Assert.Equal(after, order.After(bound));
            Assert.Equal(after, Walk(order.CursorAfter(bound)));
        }
    }

    /// <summary>Everything a cursor walks, in order.</summary>
    private static List<NodeRank> Walk(NodeOrder.Cursor cursor)
    {
        var walked = new List<NodeRank>();
        while (cursor.MoveNext())
        {
            walked.Add(cursor.Current);
        }

        return walked;
    }
}
