namespace Kai.Cluster.Embedded;

/// <summary>
/// The events that may expire, earliest due first: each with the time it was due when queued (its last occurrence
/// then, plus the time to live). A repeat of an event does not requeue it; when its turn comes its last occurrence is
/// read again and it is queued again, by its new due time, if it has occurred since. Ties go in the order queued, so
/// expiry is deterministic.
/// </summary>
internal sealed class EventExpiry
{
    private readonly PriorityQueue<ObjectKey, (DateTime Due, long Order)> _queue = new();
    private long _queued;

    public EventExpiry(TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        TimeToLive = timeToLive;
    }

    public TimeSpan TimeToLive { get; }

    public int Count => _queue.Count;

    public void Add(ObjectKey key, DateTime lastOccurrence) => _queue.Enqueue(key, (DueAfter(lastOccurrence), _queued++));

    /// <summary>Whether an event last seen at <paramref name="lastOccurrence"/> is still alive at <paramref name="now"/>.</summary>
    public bool Lives(DateTime lastOccurrence, DateTime now) => DueAfter(lastOccurrence) > now;

    /// <summary>The next queued event that was due by <paramref name="now"/> when queued, or false when none is.</summary>
    public bool TryTakeDue(DateTime now, out ObjectKey key)
    {
        if (_queue.TryPeek(out key, out var head) && head.Due <= now)
        {
            _queue.Dequeue();
            return true;
        }

        key = default;
        return false;
    }

    // A time to live that reaches past the calendar (TimeSpan.MaxValue for "for ever") never comes due.
    private DateTime DueAfter(DateTime lastOccurrence) =>
        TimeToLive >= DateTime.MaxValue - lastOccurrence ? DateTime.MaxValue : lastOccurrence + TimeToLive;
}
