using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    /// <summary>Changes committed by the batch in progress (<see cref="RunBatchLocked"/>), published when it ends; null outside a batch.</summary>
    private List<(long Version, ClusterChange Change)>? _batch;

    /// <summary>
    /// Creates the objects as <see cref="CreateAsync{T}"/> would one after another — the same objects, resource
    /// versions and changes — under one lock; the feeds receive the batch's changes when it is stored.
    /// </summary>
    public ValueTask<IReadOnlyList<CreateOutcome<T>>> CreateManyAsync<T>(IReadOnlyList<T> objects, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        CreateManyAsync(objects, CreateOwnership.Copied, cancellationToken);

    /// <summary>
    /// <see cref="CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/>; objects handed over
    /// (<see cref="CreateOwnership.HandedOver"/>) are stored themselves, their metadata filled in, instead of a copy of
    /// each and of its metadata. The stored content, resource versions and changes are the same.
    /// </summary>
    public ValueTask<IReadOnlyList<CreateOutcome<T>>> CreateManyAsync<T>(IReadOnlyList<T> objects, CreateOwnership ownership, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<CreateOutcome<T>>>(cancellationToken);
        }

        var outcomes = new CreateOutcome<T>[objects.Count];
        lock (_lock)
        {
            RunBatchLocked(objects.Count, (Items: objects, HandOver: ownership == CreateOwnership.HandedOver), outcomes, static (cluster, batch, results) =>
            {
                for (var i = 0; i < batch.Items.Count; i++)
                {
                    results[i] = cluster.TryCreateLocked(batch.Items[i], batch.HandOver);
                }
            });
        }

        return ValueTask.FromResult<IReadOnlyList<CreateOutcome<T>>>(outcomes);
    }

    private CreateOutcome<T> TryCreateLocked<T>(T obj, bool handOver)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return new CreateOutcome<T>((T)CreateLocked(KindOf(obj), obj, restore: false, handOver), null);
        }
        catch (ClusterException e)
        {
            return new CreateOutcome<T>(null, e);
        }
    }

    /// <summary>Runs <paramref name="writes"/> (under the lock) as one batch: its changes reach the history and the feeds together when it ends.</summary>
    /// <param name="expectedChanges">How many changes the batch will make (its list is sized for them).</param>
    private void RunBatchLocked<TItems, TResults>(int expectedChanges, TItems items, TResults results, Action<EmbeddedCluster, TItems, TResults> writes)
    {
        var outer = _batch;
        _batch ??= new List<(long Version, ClusterChange Change)>(expectedChanges);
        try
        {
            writes(this, items, results);
        }
        finally
        {
            if (outer is null)
            {
                var batch = _batch;
                _batch = null;
                PublishBatch(batch);
            }
        }
    }

    /// <summary>Publishes a batch's changes in resource-version order; each feed's kind filter is asked once per run of one kind.</summary>
    private void PublishBatch(List<(long Version, ClusterChange Change)> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var (version, change) in batch)
        {
            _history.Add(version, change);
        }

        var anyClosed = false;
        foreach (var feed in _feeds)
        {
            OfferRuns(feed, batch);
            anyClosed |= feed.IsClosed;
        }

        if (anyClosed)
        {
            _feeds = Array.FindAll(_feeds, f => !f.IsClosed);
        }
    }

    private static void OfferRuns(ChangeFeed feed, List<(long Version, ClusterChange Change)> batch)
    {
        var accepted = false;
        KindKey? kind = null;
        foreach (var (_, change) in batch)
        {
            if (kind != change.Kind)
            {
                kind = change.Kind;
                accepted = feed.Accepts(change.Kind);
            }

            if (accepted)
            {
                feed.Offer(change);
            }
        }
    }
}
