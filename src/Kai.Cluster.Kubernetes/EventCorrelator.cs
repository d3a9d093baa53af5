namespace Kai.Cluster.Kubernetes;

/// <summary>
/// The event series this process recorded, keyed as Kubernetes' events recorder keys them — by the object, type,
/// reason and reporting component, not the message — so a repeat becomes a higher <c>count</c> (and the latest
/// message) on the one stored event instead of another event. Bounded: when full, the oldest series are forgotten
/// (a repeat of a forgotten one creates a new event, which is what the API server's own event TTL does anyway).
/// </summary>
internal sealed class EventCorrelator(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Series> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Set(string key, Series series)
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

            _entries[key] = series;
        }
    }

    /// <summary>One more occurrence of a known series, with its message and time; null when the series is not known.</summary>
    public Series? Repeat(string key, string message, DateTime timestamp)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var series))
            {
                return null;
            }

            series = series with { Count = series.Count + 1, Message = message, LastTimestamp = timestamp };
            _entries[key] = series;
            return series;
        }
    }

    /// <summary>The stored event now shows <paramref name="count"/> occurrences (a later repeat may already have added more).</summary>
    public void MarkWritten(string key, int count, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var series))
            {
                _entries[key] = series with { WrittenCount = Math.Max(series.WrittenCount, count), WrittenAt = at };
            }
        }
    }

    public void Forget(string key)
    {
        lock (_gate)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>The series with occurrences not yet written to their stored event.</summary>
    public List<(string Key, Series Series)> Unwritten()
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.Value.Count > e.Value.WrittenCount).Select(e => (e.Key, e.Value))];
        }
    }

    /// <summary>
    /// One series: the stored event it is written to, how often it happened and its latest message and time, how many
    /// occurrences the stored event shows, and when it was last written.
    /// </summary>
    public sealed record Series(string Namespace, string Name, int Count, string Message, DateTime LastTimestamp, int WrittenCount, DateTimeOffset WrittenAt);
}
