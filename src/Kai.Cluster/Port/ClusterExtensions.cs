using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>Conveniences over <see cref="ICluster"/> that every backend gets for free.</summary>
public static class ClusterExtensions
{
    /// <summary>
    /// Subscribes and yields changes until <paramref name="cancellationToken"/> fires (then ends quietly) or
    /// the feed fails; the feed is disposed when enumeration ends.
    /// </summary>
    public static async IAsyncEnumerable<ClusterChange> WatchAsync(
        this ICluster cluster,
        ChangeFeedOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var feed = await cluster.SubscribeAsync(options, cancellationToken).ConfigureAwait(false);
        var reader = feed.Changes;
        while (true)
        {
            try
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            while (reader.TryRead(out var change))
            {
                yield return change;
            }
        }
    }

    /// <summary>Records an event about <paramref name="involved"/>, reported by <paramref name="reportingComponent"/>.</summary>
    public static ValueTask<Corev1Event> RecordEventAsync(
        this ICluster cluster,
        string reportingComponent,
        IKubernetesObject<V1ObjectMeta> involved,
        EventType type,
        string reason,
        string message,
        CancellationToken cancellationToken = default) =>
        cluster.RecordEventAsync(
            new EventRecord(KubeObjects.ReferenceTo(involved, cluster.Kinds), type, reason, message, reportingComponent),
            cancellationToken);
}
