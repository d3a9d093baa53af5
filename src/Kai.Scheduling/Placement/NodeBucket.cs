namespace Kai.Scheduling.Placement;

/// <summary>
/// The nodes of one <see cref="NodeOrder"/> bucket, in node order: a sorted array with room at both ends, so the
/// moves a cycle makes most — taking the bucket's first node (the walk's pick) and adding a node at either end —
/// shift nothing; an insert or removal inside shifts the shorter side.
/// </summary>
internal sealed class NodeBucket
{
    private int[] _items = new int[4];
    private int _start = 2;

    /// <summary>The rank every node of the bucket ties with (its node number aside).</summary>
    public NodeRank Representative;

    public int Count { get; private set; }

    public int First => _items[_start];

    public int this[int index] => _items[_start + index];

    public void Insert(int node)
    {
        var at = Position(node);
        if (at < Count - at && _start > 0 || _start + Count == _items.Length)
        {
            if (_start == 0)
            {
                Grow();
            }

            Array.Copy(_items, _start, _items, _start - 1, at);
            _start--;
        }
        else
        {
            Array.Copy(_items, _start + at, _items, _start + at + 1, Count - at);
        }

        _items[_start + at] = node;
        Count++;
    }

    public void Remove(int node)
    {
        var at = Position(node);
        if (at < Count - 1 - at)
        {
            Array.Copy(_items, _start, _items, _start + 1, at);
            _start++;
        }
        else
        {
            Array.Copy(_items, _start + at + 1, _items, _start + at, Count - 1 - at);
        }

        Count--;
        if (Count == 0)
        {
            _start = _items.Length / 2;
        }
    }

    /// <summary>Where the node is, or where it goes (binary search over the node numbers).</summary>
    private int Position(int node)
    {
        int low = 0, high = Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_items[_start + mid] < node)
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

    /// <summary>Doubles the array and centres the nodes in it.</summary>
    private void Grow()
    {
        var items = new int[_items.Length * 2];
        var start = (items.Length - Count) / 2;
        Array.Copy(_items, _start, items, start, Count);
        _items = items;
        _start = start;
    }
}
