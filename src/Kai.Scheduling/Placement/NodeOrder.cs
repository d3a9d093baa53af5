using System.Collections;

namespace Kai.Scheduling.Placement;

/// <summary>
/// One order of nodes by <see cref="NodeRankComparer"/>, kept as buckets of nodes that rank alike: a bucket per
/// rank the comparer ties, node aside (<see cref="NodeRankComparer.CompareIgnoringNode"/>; binpack: has-the-resource
/// and free amount; spread: the free/total ratio), buckets in rank order, each bucket's nodes in node order. Enumerates exactly as a
/// <c>SortedSet&lt;NodeRank&gt;</c> with the same comparer would.
/// </summary>
/// <remarks>
/// A node's rank changes on every placement (tens of thousands per cycle on a large cluster); a sorted tree
/// paid two rebalancing walks with an interface call per comparison for each. Here a move is a binary search
/// over the buckets and an insert into a small sorted array: nodes have few distinct free amounts (whole GPUs),
/// so buckets are few, and the walk "the first node with at least 2 free GPUs" finds its bucket the same way.
/// (A dictionary from rank key to bucket cost more than the search: a hashed tuple key per look-up, two per
/// move, and for spread orders the key's reduced fraction.) Buckets are dropped when they empty, so a cluster
/// of many distinct amounts (CPU orders) keeps at most one bucket per node. Do not change the order while
/// enumerating it.
/// </remarks>
internal sealed partial class NodeOrder : IEnumerable<NodeRank>
{
    private readonly NodeRankComparer _comparer;
    private readonly List<NodeBucket> _buckets = [];

    // Buckets that emptied, kept for the next new key: filling nodes one by one empties and opens a bucket per
    // placement.
    private readonly Stack<NodeBucket> _spare = [];

    // Each node's rank in the buckets while it is in the order (buckets hold node numbers only); an overlaid node's
    // rank now is its overlay entry's.
    private NodeRank[] _rankOf;
    private bool[] _holds;

    // Nodes whose rank changed since they were last moved in the buckets (MoveLazily), at their ranks now, sorted by
    // the comparer: walks merge them in and skip them in the buckets (NodeOrder.Overlay.cs).
    private readonly NodeRank[] _overlay = new NodeRank[OverlayCapacity];
    private int _overlayCount;
    private bool[] _overlaid;

    /// <param name="comparer">The placement order.</param>
    /// <param name="nodes">How many nodes there are (node numbers below it; more grow the order).</param>
    public NodeOrder(NodeRankComparer comparer, int nodes = 0)
    {
        _comparer = comparer;
        _rankOf = new NodeRank[nodes];
        _holds = new bool[nodes];
        _overlaid = new bool[nodes];
    }

    /// <summary>How many nodes the order holds.</summary>
    public int Count { get; private set; }

    /// <summary>The first node of the order, or null when it is empty.</summary>
    public NodeRank? Min
    {
        get
        {
            if (_overlayCount == 0)
            {
                return _buckets.Count == 0 ? null : _rankOf[_buckets[0].First];
            }

            // The first node of the buckets that is not overlaid (at most as many skipped as are overlaid), or the overlay's.
            var first = _overlay[0];
            foreach (var bucket in _buckets)
            {
                for (var i = 0; i < bucket.Count; i++)
                {
                    if (!_overlaid[bucket[i]])
                    {
                        var rank = _rankOf[bucket[i]];
                        return _comparer.Compare(rank, first) < 0 ? rank : first;
                    }
                }
            }

            return first;
        }
    }

    public void Add(NodeRank rank)
    {
        Flush();
        AddToBuckets(rank);
    }

    public bool Remove(NodeRank rank)
    {
        Flush();
        return RemoveFromBuckets(rank);
    }

    private void AddToBuckets(NodeRank rank)
    {
        if (rank.Node >= _holds.Length)
        {
            Array.Resize(ref _holds, Math.Max(rank.Node + 1, _holds.Length * 2));
            Array.Resize(ref _rankOf, _holds.Length);
            Array.Resize(ref _overlaid, _holds.Length);
        }

        if (_holds[rank.Node])
        {
            // One rank per node (the index's use); a second rank for a node is not supported.
            throw new InvalidOperationException($"Node {rank.Node} is already in the order at {_rankOf[rank.Node]}.");
        }

        var at = FindBucket(rank);
        NodeBucket bucket;
        if (at >= 0)
        {
            bucket = _buckets[at];
        }
        else
        {
            bucket = _spare.TryPop(out var spare) ? spare : new NodeBucket();
            bucket.Representative = rank with { Node = 0 };
            _buckets.Insert(~at, bucket);
        }

        bucket.Insert(rank.Node);
        _rankOf[rank.Node] = rank;
        _holds[rank.Node] = true;
        Count++;
    }

    private bool RemoveFromBuckets(NodeRank rank)
    {
        if (rank.Node < 0 || rank.Node >= _holds.Length || !_holds[rank.Node] || _rankOf[rank.Node] != rank)
        {
            return false;
        }

        var at = FindBucket(rank);
        var bucket = _buckets[at];
        bucket.Remove(rank.Node);
        _holds[rank.Node] = false;
        Count--;
        if (bucket.Count == 0)
        {
            _buckets.RemoveAt(at);
            _spare.Push(bucket);
        }

        return true;
    }

    /// <summary>Moves a node from one rank to another in the buckets (nothing when they are equal).</summary>
    public void Move(NodeRank from, NodeRank to)
    {
        if (from != to)
        {
            Remove(from);
            Add(to);
        }
    }

    /// <summary>
    /// The nodes that rank from <paramref name="lower"/> through <paramref name="upper"/>, in order (the bounds need
    /// not be nodes): what <c>SortedSet.GetViewBetween</c> holds.
    /// </summary>
    public IEnumerable<NodeRank> Between(NodeRank lower, NodeRank upper)
    {
        Flush();
        return BucketsBetween(lower, upper);
    }

    private IEnumerable<NodeRank> BucketsBetween(NodeRank lower, NodeRank upper)
    {
        for (var b = FirstBucketNotBefore(lower); b < _buckets.Count; b++)
        {
            var bucket = _buckets[b];
            for (var i = 0; i < bucket.Count; i++)
            {
                var rank = _rankOf[bucket[i]];
                if (_comparer.Compare(rank, upper) > 0)
                {
                    yield break;
                }

                if (_comparer.Compare(rank, lower) >= 0)
                {
                    yield return rank;
                }
            }
        }
    }

    /// <summary>The first node that ranks from <paramref name="lower"/> through <paramref name="upper"/>, or null.</summary>
    public NodeRank? FirstBetween(NodeRank lower, NodeRank upper)
    {
        var inBuckets = FirstInBucketsBetween(lower, upper);
        if (_overlayCount == 0 || FirstOverlaidNotBefore(lower, CursorBounds.Between) is not { } at
            || _comparer.Compare(_overlay[at], upper) > 0)
        {
            return inBuckets;
        }

        var overlaid = _overlay[at];
        return inBuckets is { } rank && _comparer.Compare(rank, overlaid) < 0 ? rank : overlaid;
    }

    /// <summary>The first node of the buckets, overlaid nodes aside, that ranks from <paramref name="lower"/> through <paramref name="upper"/>.</summary>
    private NodeRank? FirstInBucketsBetween(NodeRank lower, NodeRank upper)
    {
        for (var b = FirstBucketNotBefore(lower); b < _buckets.Count; b++)
        {
            var bucket = _buckets[b];
            for (var i = 0; i < bucket.Count; i++)
            {
                if (_overlayCount != 0 && _overlaid[bucket[i]])
                {
                    continue;
                }

                var rank = _rankOf[bucket[i]];
                if (_comparer.Compare(rank, upper) > 0)
                {
                    return null;
                }

                if (_comparer.Compare(rank, lower) >= 0)
                {
                    return rank;
                }
            }
        }

        return null;
    }

    /// <summary>The nodes that rank strictly after <paramref name="bound"/> (which need not be a node's rank), in order.</summary>
    public IEnumerable<NodeRank> After(NodeRank bound)
    {
        Flush();
        return BucketsAfter(bound);
    }

    private IEnumerable<NodeRank> BucketsAfter(NodeRank bound)
    {
        for (var b = FirstBucketNotBefore(bound); b < _buckets.Count; b++)
        {
            var bucket = _buckets[b];
            for (var i = 0; i < bucket.Count; i++)
            {
                var rank = _rankOf[bucket[i]];
                if (_comparer.Compare(rank, bound) > 0)
                {
                    yield return rank;
                }
            }
        }
    }

    /// <summary>The nodes in reverse order.</summary>
    public IEnumerable<NodeRank> Reverse()
    {
        Flush();
        return BucketsReversed();
    }

    private IEnumerable<NodeRank> BucketsReversed()
    {
        for (var b = _buckets.Count - 1; b >= 0; b--)
        {
            var bucket = _buckets[b];
            for (var i = bucket.Count - 1; i >= 0; i--)
            {
                yield return _rankOf[bucket[i]];
            }
        }
    }

    /// <summary>The walk <see cref="GetEnumerator"/> makes, as a cursor that allocates nothing.</summary>
    public Cursor All() => new(this, 0, default, default, CursorBounds.None);

    /// <summary>The walk <see cref="Between"/> makes, as a cursor that allocates nothing.</summary>
    public Cursor CursorBetween(NodeRank lower, NodeRank upper) => new(this, FirstBucketNotBefore(lower), lower, upper, CursorBounds.Between);

    /// <summary>The walk <see cref="After"/> makes, as a cursor that allocates nothing.</summary>
    public Cursor CursorAfter(NodeRank bound) => new(this, FirstBucketNotBefore(bound), bound, default, CursorBounds.After);

    public IEnumerator<NodeRank> GetEnumerator()
    {
        Flush();
        return BucketsInOrder();
    }

    private IEnumerator<NodeRank> BucketsInOrder()
    {
        foreach (var bucket in _buckets)
        {
            for (var i = 0; i < bucket.Count; i++)
            {
                yield return _rankOf[bucket[i]];
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The first bucket whose nodes may rank at or after the bound (the bound's own bucket included).</summary>
    private int FirstBucketNotBefore(NodeRank bound)
    {
        int low = 0, high = _buckets.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_comparer.CompareIgnoringNode(_buckets[mid].Representative, bound) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>The bucket of a rank (its node aside): its index when there is one, else the complement of where it goes.</summary>
    private int FindBucket(NodeRank representative)
    {
        var at = FirstBucketNotBefore(representative);
        return at < _buckets.Count && _comparer.CompareIgnoringNode(_buckets[at].Representative, representative) == 0 ? at : ~at;
    }
}
