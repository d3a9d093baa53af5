namespace Kai.Scheduling.Snapshots;

/// <summary>A queue and its ancestors, leaf first. Enumerated with <c>foreach</c> without allocating.</summary>
public readonly struct QueuePath
{
    private readonly int[] _parents;
    private readonly int _start;

    internal QueuePath(int[] parents, int start)
    {
        _parents = parents;
        _start = start;
    }

    public Enumerator GetEnumerator() => new(_parents, _start);

    /// <summary>Whether <paramref name="queue"/> is this queue or one of its ancestors.</summary>
    public bool Contains(int queue)
    {
        foreach (var q in this)
        {
            if (q == queue)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Walks up the parents.</summary>
    public struct Enumerator
    {
        private readonly int[] _parents;
        private int _next;

        internal Enumerator(int[] parents, int start)
        {
            _parents = parents;
            _next = start;
            Current = -1;
        }

        public int Current { get; private set; }

        public bool MoveNext()
        {
            if (_next < 0)
            {
                return false;
            }

            Current = _next;
            _next = _parents[_next];
            return true;
        }
    }
}
