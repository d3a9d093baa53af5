using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// The words of reclaim's refusal to take anything from a queue that would drop below its fair share, one string per
/// queue and snapshot: they name the queue only, and the victim-queue filter refuses some 12,000 times a cycle at 4,000
/// nodes (each refusal's words are counted into the search's explanation at once, so they cannot be deferred).
/// </summary>
internal sealed class FairShareRefusalTexts
{
    private string?[]? _byQueue;

    // The snapshot the texts were written for: queue indices name other queues in another snapshot.
    private object? _snapshot;

    /// <summary>The refusal's words for <paramref name="queue"/>, written at the first refusal of the snapshot.</summary>
    public string Of(ISessionView session, int queue)
    {
        var snapshot = session.Snapshot;
        if (!ReferenceEquals(_snapshot, snapshot))
        {
            _snapshot = snapshot;
            _byQueue = null;
        }

        _byQueue ??= new string?[snapshot.Queues.Count];
        return _byQueue[queue] ??= ReclaimRules.DropsBelowFairShare(snapshot.Queues[queue].Name);
    }
}
