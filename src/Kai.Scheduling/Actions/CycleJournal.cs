namespace Kai.Scheduling.Actions;

/// <summary>
/// What a cycle's actions record besides decisions, for the edge to write back: pod groups that started
/// running (last-start annotation), stale-since stamps to set or clear, and groups evicted for being stale.
/// Data of the cycle, kept apart from the session's books.
/// </summary>
internal sealed class CycleJournal
{
    private readonly HashSet<int> _startedGroups = [];
    private readonly Dictionary<int, DateTimeOffset?> _staleSince = [];
    private readonly HashSet<int> _staleGroups = [];

    /// <summary>Pod groups that started running in this cycle.</summary>
    public IReadOnlyCollection<int> StartedGroups => _startedGroups;

    /// <summary>Stale-since stamps to write (null clears the stamp), by group.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset?> StaleSinceUpdates => _staleSince;

    /// <summary>Groups evicted for being stale in this cycle.</summary>
    public IReadOnlyCollection<int> StaleGroups => _staleGroups;

    public void MarkStarted(int group) => _startedGroups.Add(group);

    public void SetStaleSince(int group, DateTimeOffset? since) => _staleSince[group] = since;

    public void MarkStale(int group) => _staleGroups.Add(group);
}
