namespace Kai.Scheduling.Placement;

/// <summary>
/// The largest of one amount over the nodes, kept as the amounts change: raised at once, and counted again over every
/// node only when the node that held the largest amount lost some (then read: a scan of one array).
/// </summary>
internal sealed class IdleMaximum(int nodes)
{
    private readonly long[] _amounts = new long[nodes];
    private long _largest = long.MinValue;
    private bool _stale = true;

    /// <summary>The largest amount of any node (<see cref="long.MinValue"/> when there are no nodes).</summary>
    public long Largest
    {
        get
        {
            if (_stale)
            {
                _largest = long.MinValue;
                foreach (var amount in _amounts)
                {
                    _largest = Math.Max(_largest, amount);
                }

                _stale = false;
            }

            return _largest;
        }
    }

    /// <summary>The node's amount is now <paramref name="amount"/>.</summary>
    public void Set(int node, long amount)
    {
        var before = _amounts[node];
        _amounts[node] = amount;
        if (_stale)
        {
            return;
        }

        if (amount > _largest)
        {
            _largest = amount;
        }
        else if (before == _largest && amount < before)
        {
            // The largest may have been this node's alone.
            _stale = true;
        }
    }
}
