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

        // The merge with the overlay: the next overlay entry to yield, and the next node of the buckets found but not
        // yet yielded (the walk over the buckets looks one node ahead when the overlay has entries to merge in).
        private int _overlaid;
        private NodeRank _pending;
        private bool _hasPending;

        internal Cursor(NodeOrder order, int firstBucket, NodeRank lower, NodeRank upper, CursorBounds bounds)
        {
            _order = order;
            _bucket = firstBucket;
            _item = -1;
            _lower = lower;
            _upper = upper;
            _bounds = bounds;
            Current = default;
            _overlaid = order._overlayCount == 0 ? 0 : order.FirstOverlaidNotBefore(lower, bounds) ?? order._overlayCount;
            _pending = default;
            _hasPending = false;
        }

        /// <summary>The node the cursor stands on.</summary>
        public NodeRank Current { get; private set; }

        /// <summary>Steps to the next node of the walk; false when the walk is over.</summary>
        public bool MoveNext()
        {
            var order = _order;
            if (_overlaid >= order._overlayCount)
            {
                // Nothing (left) to merge in: the buckets alone.
                if (_hasPending)
                {
                    _hasPending = false;
                    Current = _pending;
                    return true;
                }

                return NextInBuckets(out var rank) && Set(rank);
            }

            if (!_hasPending)
            {
                _hasPending = NextInBuckets(out _pending);
            }

            var overlaid = order._overlay[_overlaid];
            var overlaidAdmitted = _bounds != CursorBounds.Between || order._comparer.Compare(overlaid, _upper) <= 0;
            if (overlaidAdmitted && (!_hasPending || order._comparer.Compare(overlaid, _pending) < 0))
            {
                _overlaid++;
                return Set(overlaid);
            }

            if (!overlaidAdmitted)
            {
                // Past the upper bound: so is every later entry.
                _overlaid = int.MaxValue;
            }

            if (!_hasPending)
            {
                return false;
            }

            _hasPending = false;
            return Set(_pending);
        }

        private bool Set(NodeRank rank)
        {
            Current = rank;
            return true;
        }

        /// <summary>The next node of the buckets in the walk's bounds, overlaid nodes aside.</summary>
        private bool NextInBuckets(out NodeRank next)
        {
            var order = _order;
            var buckets = order._buckets;
            var comparer = order._comparer;
            while (_bucket < buckets.Count)
            {
                var bucket = buckets[_bucket];
                if (++_item >= bucket.Count)
                {
                    _bucket++;
                    _item = -1;
                    continue;
                }

                var node = bucket[_item];
                if (order._overlayCount != 0 && order._overlaid[node])
                {
                    continue;
                }

                var rank = order._rankOf[node];
                if (_bounds == CursorBounds.Between && comparer.Compare(rank, _upper) > 0)
                {
                    // Past the upper bound: the walk is over for good.
                    _bucket = int.MaxValue;
                    next = default;
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
                    next = rank;
                    return true;
                }
            }

            next = default;
            return false;
        }
    }
}
