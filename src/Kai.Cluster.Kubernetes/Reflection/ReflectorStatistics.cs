namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>What a reflector has been through, for tests, logs and readiness.</summary>
public sealed class ReflectorStatistics
{
    private long _lists;
    private long _watches;
    private long _events;
    private long _expired;
    private long _broken;
    private long _idle;

    /// <summary>Full lists (the first one, and one after each 410 Gone).</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Watches opened.</summary>
    public long Watches => Interlocked.Read(ref _watches);

    /// <summary>Added, modified and deleted events received.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Watches ended by 410 Gone (in the stream or on the request), each followed by a relist.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary>Lists or watches that failed (connection refused or reset, server errors); each followed by a back-off.</summary>
    public long Broken => Interlocked.Read(ref _broken);

    /// <summary>Watches the inactivity watchdog gave up on.</summary>
    public long Idle => Interlocked.Read(ref _idle);

    internal void CountList() => Interlocked.Increment(ref _lists);

    internal void CountWatch() => Interlocked.Increment(ref _watches);

    internal void CountEvent() => Interlocked.Increment(ref _events);

    internal void CountExpired() => Interlocked.Increment(ref _expired);

    internal void CountBroken() => Interlocked.Increment(ref _broken);

    internal void CountIdle() => Interlocked.Increment(ref _idle);
}
