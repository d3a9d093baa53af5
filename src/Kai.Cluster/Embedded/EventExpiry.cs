namespace Kai.Cluster.Embedded;

/// <summary>
/// The events that may expire, in the order they were first due: each with the time it was due when queued (its
/// last occurrence then, plus the time to live). A repeat of an event does not requeue it; when its turn comes its
/// last occurrence is read again and it goes back to the end if it has occurred since.
/// </summary>
internal sealed class EventExpiry
{
    private readonly Queue<(DateTime Due, ObjectKey Event)> _queue = new();

    public EventExpiry(TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        TimeToLive = timeToLive;
    }

    public TimeSpan TimeToLive { get; }

    public int Count => _queue.Count;

    public void Add(ObjectKey key, DateTime lastOccurrence) => _queue.Enqueue((lastOccurrence + TimeToLive, key));

    /// <summary>The next queued event that was due by <paramref name="now"/> when queued, or false when none is.</summary>
    public bool TryTakeDue(DateTime now, out ObjectKey key)
    {
        if (_queue.TryPeek(out var head) && head.Due <= now)
        {
            key = _queue.Dequeue().Event;
            return true;
        }

        key = default;
        return false;
    }
}
