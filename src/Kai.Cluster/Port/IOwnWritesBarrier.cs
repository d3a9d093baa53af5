namespace Kai.Cluster.Port;

/// <summary>
/// Implemented by backends whose change feeds lag behind their writes (a real API server: writes answer at once,
/// the watch delivers them a moment later). A component that must see its own writes in its feeds before acting
/// again — the scheduler before its next cycle, so a pod it just bound is not placed twice — waits here first. The
/// embedded cluster publishes every write before the write returns and does not need it.
/// </summary>
public interface IOwnWritesBarrier
{
    /// <summary>Completes when every write this process made through the backend has been delivered to its feeds.</summary>
    ValueTask WaitForOwnWritesAsync(CancellationToken cancellationToken = default);
}
