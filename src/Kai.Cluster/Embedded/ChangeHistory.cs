using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// A ring buffer of the most recent changes, so a feed can resume from a resource version (a watch with RV)
/// instead of relisting. Older versions fail with Expired, like the API server's watch cache window.
/// The buffer grows by doubling up to half its capacity, then to its capacity, so small clusters do not pay for a large window.
/// </summary>
internal sealed class ChangeHistory
{
    private const int InitialSize = 256;

    private readonly int _capacity;
    private ClusterChange[] _changes = [];
    private long[] _versions = [];
    private int _next;
    private int _count;

    public ChangeHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>Every change with a resource version above this one is retained.</summary>
    public long CompleteAfter { get; private set; }

    public void Add(long version, in ClusterChange change)
    {
        if (_capacity == 0)
        {
            CompleteAfter = version;
            return;
        }

        if (_count == _changes.Length)
        {
            if (_changes.Length < _capacity)
            {
                Grow();
            }
            else
            {
                // Overwriting the oldest entry: history up to it is no longer complete.
                CompleteAfter = _versions[_next];
                _count--;
            }
        }

        _changes[_next] = change;
        _versions[_next] = version;
        _next = (_next + 1) % _changes.Length;
        _count++;
    }

    /// <summary>Retained changes with a resource version above <paramref name="version"/>, oldest first.</summary>
    public IEnumerable<ClusterChange> After(long version)
    {
        for (var i = 0; i < _count; i++)
        {
            var slot = Slot(i);
            if (_versions[slot] > version)
            {
                yield return _changes[slot];
            }
        }
    }

    // The i-th retained change, oldest first.
    private int Slot(int i) => (_next - _count + i + (2 * _changes.Length)) % _changes.Length;

    /// <summary>
    /// Doubles the buffer, or makes it full size once the doubled one would hold half the capacity: a large cluster
    /// then reaches its final buffer while it is loaded, instead of copying 65,536 changes into a fresh one in the
    /// middle of a scheduling cycle's write-back (9 ms at 4,000 nodes). A smaller one never gets there.
    /// </summary>
    private void Grow()
    {
        var doubled = Math.Max(InitialSize, 2L * _changes.Length);
        var size = (int)(doubled >= _capacity / 2 ? _capacity : doubled);
        var changes = new ClusterChange[size];
        var versions = new long[size];
        for (var i = 0; i < _count; i++)
        {
            var slot = Slot(i);
            changes[i] = _changes[slot];
            versions[i] = _versions[slot];
        }

        _changes = changes;
        _versions = versions;
        _next = _count;
    }
}
