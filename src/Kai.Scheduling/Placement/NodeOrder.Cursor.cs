namespace Kai.Scheduling.Placement;

internal sealed partial class NodeOrder
{
    /// <summary>Which bounds a <see cref="Cursor"/> keeps to.</summary>
    internal enum CursorBounds
    {
        /// <summary>Every node, in order (<see cref="GetEnumerator"/>).</summary>
        None,

        /// <summary>The nodes from a lower through an upper rank (<see cref="Between"/>).</summary>
        Between,

        /// <summary>The nodes strictly after a rank (<see cref="After"/>).</summary>
        After,
    }

    /// <summary>
    /// A walk over the order that allocates nothing, yielding exactly what <see cref="GetEnumerator"/>,
    /// <see cref="Between"/> or <see cref="After"/> yield: the node search walks the order for every pod whose first
    /// candidate refuses it (some 160,000 walks a cycle at 4,000 nodes), and each iterator was an object on the heap.
    /// Like them, it reads the order as it stands at each step: do not change the order while walking it.
    /// </summary>
    internal struct Cursor
    {
        private readonly NodeOrder _order;
        private readonly NodeRank _lower;
        private readonly NodeRank _upper;
        private readonly CursorBounds _bounds;
        private int _bucket;
        private int _item;

        internal Cursor(NodeOrder order, int firstBucket, NodeRank lower, NodeRank upper, CursorBounds bounds)
        {
            _order = order;
            _bucket = firstBucket;
            _item = -1;
            _lower = lower;
            _upper = upper;
            _bounds = bounds;
            Current = default;
        }

        /// <summary>The node the cursor stands on.</summary>
        public NodeRank Current { get; private set; }

        /// <summary>Steps to the next node of the walk; false when the walk is over.</summary>
        public bool MoveNext()
        {
            var buckets = _order._buckets;
            var comparer = _order._comparer;
            while (_bucket < buckets.Count)
            {
                var bucket = buckets[_bucket];
                if (++_item >= bucket.Count)
                {
                    _bucket++;
                    _item = -1;
                    continue;
                }

                var rank = _order._rankOf[bucket[_item]];
                if (_bounds == CursorBounds.Between && comparer.Compare(rank, _upper) > 0)
                {
                    // Past the upper bound: the walk is over for good.
                    _bucket = int.MaxValue;
                    return false;
                }

                var admitted = _bounds switch
                {
                    CursorBounds.Between => comparer.Compare(rank, _lower) >= 0,
                    CursorBounds.After => comparer.Compare(rank, _lower) > 0,
                    _ => true,
                };
                if (admitted)
                {
                    Current = rank;
                    return true;
                }
            }

            return false;
        }
    }
}
