using System.Globalization;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    private ChangeFeed SubscribeLocked(ChangeFeedOptions options)
    {
        HashSet<KindKey>? filter = null;
        IEnumerable<KindInfo> initialKinds = _kinds.All;
        if (options.Kinds is { } kinds)
        {
            var infos = kinds.Select(_kinds.Get).ToArray();
            filter = [.. infos.Select(k => k.Key)];
            initialKinds = infos.Distinct();
        }

        var from = StartVersionOf(options.ResourceVersion);
        var feed = new ChangeFeed(filter, options.Capacity, Unsubscribe) { StartResourceVersion = _resourceVersionText };
        if (from is { } after)
        {
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
            OfferCurrentState(feed, initialKinds);
        }

        if (!feed.IsClosed)
        {
            _feeds = [.. _feeds, feed];
        }

        return feed;
    }

    /// <summary>The resource version a watch resumes after, or null to start from the current state; as the API server checks it.</summary>
    private long? StartVersionOf(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            return null;
        }

        if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw ClusterException.Invalid($"invalid resource version \"{resourceVersion}\"");
        }

        if (version > _resourceVersion)
        {
            throw ClusterException.Invalid($"too large resource version: {version}, current: {_resourceVersion}");
        }

        if (version < _history.CompleteAfter)
        {
            throw new ClusterException(
                ClusterErrorReason.Expired,
                $"too old resource version: {version} ({_history.CompleteAfter})");
        }

        return version;
    }

    /// <summary>A watch without resource version: the current state as synthetic Added changes.</summary>
    private void OfferCurrentState(ChangeFeed feed, IEnumerable<KindInfo> kinds)
    {
        foreach (var kind in kinds)
        {
            if (!_stores.TryGetValue(kind, out var store))
            {
                continue;
            }

            foreach (var obj in store.Objects.Values)
            {
                feed.Offer(new ClusterChange(ChangeType.Added, kind.Key, obj, obj.Metadata.ResourceVersion));
            }
        }
    }

    private void Unsubscribe(ChangeFeed feed)
    {
        lock (_lock)
        {
            feed.Close();
            _feeds = Array.FindAll(_feeds, f => !ReferenceEquals(f, feed));
        }
    }

    private void Publish(in ClusterChange change)
    {
        _history.Add(_resourceVersion, change);
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
