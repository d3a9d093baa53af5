using Kai.Cluster.Kubernetes.Reflection;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// The last changes the cache published, so a feed can start from a resource version instead of the current state.
/// Guarded by the cluster's lock.
/// </summary>
internal sealed class ChangeHistory(int capacity)
{
    private readonly Queue<ClusterChange> _changes = new();
    private ulong _completeAfter;

    /// <summary>Changes after this version are all retained; asking for an older start is 410 Expired.</summary>
    public ulong CompleteAfter => _completeAfter;

    public void Add(in ClusterChange change)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_changes.Count == capacity && _changes.TryDequeue(out var dropped) && ResourceVersions.TryParse(dropped.ResourceVersion, out var version))
        {
            _completeAfter = Math.Max(_completeAfter, version);
        }

        _changes.Enqueue(change);
    }

    /// <summary>Every retained change newer than <paramref name="version"/>, in the order it was published.</summary>
    public IEnumerable<ClusterChange> After(ulong version) =>
        _changes.Where(c => !ResourceVersions.TryParse(c.ResourceVersion, out var v) || v > version);
}
