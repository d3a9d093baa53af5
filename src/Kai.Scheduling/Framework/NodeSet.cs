namespace Kai.Scheduling.Framework;

/// <summary>
/// The nodes a placement is limited to (KAI's node set): every node, or a contiguous range of a fixed node
/// order (e.g. one topology domain) within another set. Membership is O(1) and nothing is copied: a set is a
/// range and a reference to its parent.
/// </summary>
public sealed class NodeSet
{
    private readonly int[]? _order;
    private readonly int[]? _rank;
    private readonly int _start;
    private readonly int _end;
    private readonly NodeSet? _within;
    private int _count = -1;

    private NodeSet(string name, int nodeCount)
    {
        Name = name;
        _end = nodeCount;
        _count = nodeCount;
    }

    private NodeSet(string name, int[] order, int[] rank, int start, int end, NodeSet? within)
    {
        Name = name;
        _order = order;
        _rank = rank;
        _start = start;
        _end = end;
        _within = within;
        if (within is null)
        {
            _count = end - start;
        }
    }

    /// <summary>A short name for explanations (a domain's id; "all nodes" for <see cref="All"/>).</summary>
    public string Name { get; }

    /// <summary>Whether this is every node of the snapshot.</summary>
    public bool IsAll => _order is null;

    /// <summary>How many nodes the set holds.</summary>
    public int Count => _count >= 0 ? _count : _count = CountMembers();

    /// <summary>Every node of a snapshot with <paramref name="nodeCount"/> nodes.</summary>
    public static NodeSet All(int nodeCount) => new("all nodes", nodeCount);

    /// <summary>
    /// The nodes <paramref name="order"/>[<paramref name="start"/>..<paramref name="end"/>) that are also in
    /// <paramref name="within"/>. <paramref name="rank"/> gives each node's position in <paramref name="order"/>
    /// (-1 for nodes not in it); both arrays are shared, never copied, and must not change.
    /// </summary>
    public static NodeSet Range(string name, int[] order, int[] rank, int start, int end, NodeSet within)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(rank);
        ArgumentNullException.ThrowIfNull(within);

        // A range inside a range of the same order needs no check against it (nested topology domains).
        var parent = within;
        while (parent is { IsAll: false } && ReferenceEquals(parent._order, order) && parent._start <= start && end <= parent._end)
        {
            parent = parent._within;
        }

        return new NodeSet(name, order, rank, start, end, parent is null || parent.IsAll ? null : parent);
    }

    public bool Contains(int node)
    {
        if (_order is null)
        {
            return (uint)node < (uint)_end;
        }

        var rank = _rank![node];
        return rank >= _start && rank < _end && (_within is null || _within.Contains(node));
    }

    /// <summary>The nodes of the set (snapshot indices), in the set's order.</summary>
    public IEnumerable<int> Nodes()
    {
        if (_order is null)
        {
            for (var n = 0; n < _end; n++)
            {
                yield return n;
            }

            yield break;
        }

        for (var i = _start; i < _end; i++)
        {
            var node = _order[i];
            if (_within is null || _within.Contains(node))
            {
                yield return node;
            }
        }
    }

    public override string ToString() => $"{Name} ({Count} nodes)";

    private int CountMembers()
    {
        var count = 0;
        for (var i = _start; i < _end; i++)
        {
            if (_within!.Contains(_order![i]))
            {
                count++;
            }
        }

        return count;
    }
}
