using Kai.Cluster.Kubernetes.Reflection;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

public sealed partial class KubernetesCluster
{
    /// <summary>
    /// Starts watching the feed's kinds (every registered kind when it names none) and waits for their first lists,
    /// then opens a feed from the cache: without a resource version it starts with a synthetic Added for every cached
    /// object, with one it replays the retained changes after it (older than the history: 410 Expired).
    /// </summary>
    public async ValueTask<IChangeFeed> SubscribeAsync(ChangeFeedOptions options, CancellationToken cancellationToken = default)
    {
        var kinds = options.Kinds is { } named ? [.. named.Select(Kinds.Get).Distinct()] : Kinds.All.ToList();
        ulong? from = null;
        if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
        {
            from = ResourceVersions.TryParse(options.ResourceVersion, out var parsed)
                ? parsed
                : throw new ClusterException(ClusterErrorReason.Invalid, $"invalid resource version \"{options.ResourceVersion}\"");
        }

        await EnsureWatchingAsync(kinds, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var filter = options.Kinds is null ? null : new HashSet<KindKey>(kinds.Select(k => k.Key));
            var feed = new ChangeFeed(filter, options.Capacity, Unsubscribe) { StartResourceVersion = _resourceVersion };
            if (from is { } after)
            {
                if (after < _history.CompleteAfter)
                {
                    throw new ClusterException(ClusterErrorReason.Expired, $"too old resource version: {after} ({_history.CompleteAfter})");
                }

                foreach (var change in _history.After(after))
                {
                    if (feed.Accepts(change.Kind))
                    {
                        feed.Offer(change);
                    }
                }
            }
            else
            {
                foreach (var kind in kinds)
                {
                    foreach (var obj in _caches[kind].Observed.Values)
                    {
                        feed.Offer(new ClusterChange(ChangeType.Added, kind.Key, obj, obj.Metadata.ResourceVersion ?? "0"));
                    }
                }
            }

            if (!feed.IsClosed)
            {
                _feeds = [.. _feeds, feed];
            }

            return feed;
        }
    }

    private void Unsubscribe(ChangeFeed feed)
    {
        lock (_gate)
        {
            feed.Close();
            _feeds = Array.FindAll(_feeds, f => !ReferenceEquals(f, feed));
        }
    }

    private void PublishLocked(in ClusterChange change)
    {
        _history.Add(change);
        var anyClosed = false;
        foreach (var feed in _feeds)
        {
            if (feed.Accepts(change.Kind))
            {
                feed.Offer(change);
            }

            anyClosed |= feed.IsClosed;
        }

        if (anyClosed)
        {
            _feeds = Array.FindAll(_feeds, f => !f.IsClosed);
        }
    }
}
