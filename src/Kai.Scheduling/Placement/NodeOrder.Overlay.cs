namespace Kai.Scheduling.Placement;

/// <summary>
/// The overlay: nodes whose rank changed since they were last moved in the buckets, kept apart at their ranks now.
/// </summary>
/// <remarks>
/// A victim search's try evicts pods, places its preemptor, and is rolled back: the nodes it touched move away from
/// their ranks and back, and each move in the buckets is two binary searches and two shifts (a tenth of the search's
/// placement). Moved lazily (<see cref="MoveLazily"/>), such a node sits in a small sorted overlay while its rank
/// differs from its rank in the buckets, and leaves it without touching the buckets when it comes back. The walks that
/// the node search makes (<see cref="Min"/>, <see cref="FirstBetween"/>, the <see cref="Cursor"/>s) skip overlaid nodes
/// in the buckets and merge the overlay in, so they yield exactly what they would after every move; the other readers
/// (the iterators, <see cref="Add"/>, <see cref="Remove"/>) first move the overlaid nodes for real (<see cref="Flush"/>),
/// as does a move that finds the overlay full: kept changes (a commit's) are moved once it fills.
/// </remarks>
internal sealed partial class NodeOrder
{
    /// <summary>How many nodes the overlay holds before they are moved for real: a try touches a few nodes.</summary>
    internal const int OverlayCapacity = 16;

    /// <summary>How many nodes are overlaid now (for tests: the overlay took effect).</summary>
    internal int OverlayCount => _overlayCount;

    /// <summary>How many overlaid nodes came back to their rank in the buckets, so were never moved there (for tests).</summary>
    internal int OverlayReturns { get; private set; }

    /// <summary>
    /// Moves a node from one rank to another as <see cref="Move"/> does for every reader, but in the overlay: the
    /// buckets are not touched unless the overlay is full.
    /// </summary>
    public void MoveLazily(NodeRank from, NodeRank to)
    {
        var node = to.Node;
        if (from == to)
        {
            return;
        }

        if (node < 0 || node >= _holds.Length || !_holds[node] || from.Node != node)
        {
            // Not a node of the order at one rank: as Move.
            Move(from, to);
            return;
        }

        if (_overlaid[node])
        {
            RemoveOverlaid(node);
        }

        if (to == _rankOf[node])
        {
            // Back at its rank in the buckets.
            OverlayReturns++;
            return;
        }

        if (_overlayCount == _overlay.Length)
        {
            Flush();
        }

        InsertOverlaid(to);
    }

    /// <summary>Moves every overlaid node to its rank in the buckets and empties the overlay.</summary>
    private void Flush()
    {
        for (var i = 0; i < _overlayCount; i++)
        {
            var rank = _overlay[i];
            _overlaid[rank.Node] = false;
            RemoveFromBuckets(_rankOf[rank.Node]);
            AddToBuckets(rank);
        }

        _overlayCount = 0;
    }

    /// <summary>Where the overlay's admitted entries start (the entries are sorted: a binary search), null when none is admitted.</summary>
    private int? FirstOverlaidNotBefore(NodeRank bound, CursorBounds bounds)
    {
        if (bounds == CursorBounds.None)
        {
            return _overlayCount == 0 ? null : 0;
        }

        // Between admits ranks at or after the bound, After those strictly after it.
        var strict = bounds == CursorBounds.After;
        int low = 0, high = _overlayCount;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            var byBound = _comparer.Compare(_overlay[mid], bound);
            if (byBound < 0 || (strict && byBound == 0))
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low < _overlayCount ? low : null;
    }

    private void InsertOverlaid(NodeRank rank)
    {
        var at = _overlayCount;
        while (at > 0 && _comparer.Compare(_overlay[at - 1], rank) > 0)
        {
            _overlay[at] = _overlay[at - 1];
            at--;
        }

        _overlay[at] = rank;
        _overlayCount++;
        _overlaid[rank.Node] = true;
    }

    private void RemoveOverlaid(int node)
    {
        var at = 0;
        while (_overlay[at].Node != node)
        {
            at++;
        }

        Array.Copy(_overlay, at + 1, _overlay, at, _overlayCount - at - 1);
        _overlayCount--;
        _overlaid[node] = false;
    }
}
