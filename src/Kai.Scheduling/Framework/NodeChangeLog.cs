namespace Kai.Scheduling.Framework;

/// <summary>
/// Which nodes' books changed, in order, since a given point of the session: what a cache of per-node verdicts
/// (the explanation book's breakdowns) needs to re-check instead of every node. Bounded: when it grows past its
/// capacity it forgets its entries, and a reader that asks about a point before that recomputes from scratch.
/// </summary>
internal sealed class NodeChangeLog
{
    private readonly List<int> _recent = [];
    private readonly int _capacity;
    private long _firstVersion;

    /// <param name="nodes">Nodes in the session: the log keeps a few times as many entries before it forgets.</param>
    public NodeChangeLog(int nodes) => _capacity = Math.Max(1024, 4 * nodes);

    /// <summary>How many changes were recorded so far: a point to ask about later.</summary>
    public long Version { get; private set; }

    /// <summary>Records that the books of <paramref name="node"/> changed.</summary>
    public void Touch(int node)
    {
        if (_recent.Count >= _capacity)
        {
            _recent.Clear();
            _firstVersion = Version;
        }

        _recent.Add(node);
        Version++;
    }

    /// <summary>The nodes changed since <paramref name="version"/> (a node may appear more than once); false when forgotten.</summary>
    public bool TryChangedSince(long version, out ReadOnlySpan<int> nodes)
    {
        if (version < _firstVersion)
        {
            nodes = default;
            return false;
        }

        nodes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_recent)[(int)(version - _firstVersion)..];
        return true;
    }
}
