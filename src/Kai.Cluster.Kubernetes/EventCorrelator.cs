namespace Kai.Cluster.Kubernetes;

/// <summary>
/// Remembers the events this process recorded, so a repeat bumps <c>count</c> on the existing event (as client-go's
/// recorder does) instead of creating another. Bounded: when full, the oldest half is forgotten (a repeat of a
/// forgotten event creates a new one, which is what the API server's own event TTL does anyway).
/// </summary>
internal sealed class EventCorrelator(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool TryGet(string key, out Entry entry)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out entry);
        }
    }

    public void Set(string key, Entry entry)
    {
        lock (_gate)
        {
            if (!_entries.ContainsKey(key))
            {
                _order.Enqueue(key);
                while (_order.Count > capacity && _order.TryDequeue(out var oldest))
                {
                    _entries.Remove(oldest);
                }
            }

            _entries[key] = entry;
        }
    }

    public void Forget(string key)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>The stored event a record was written to, and how often it happened.</summary>
    public readonly record struct Entry(string Namespace, string Name, int Count, DateTime FirstTimestamp);
}
