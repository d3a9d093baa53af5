using System.Globalization;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Model;
using PodGroup = Kai.Cluster.Crds.PodGroup;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Writes the pod group timestamp annotations the next cycle reads back: when a group last started (for
/// min-runtime), since when it has been stale (for stale-gang eviction) and when its pods were last evicted (for
/// its preemption delay).
/// </summary>
internal sealed class PodGroupAnnotationWriter(ICluster cluster, TimeProvider time)
{
    public ValueTask MarkStartedAsync(PodGroupKey group, CancellationToken cancellationToken) =>
        AnnotateAsync(group, KaiConventions.LastStartTimestampAnnotation, time.GetUtcNow(), cancellationToken);

    public ValueTask MarkEvictedAsync(PodGroupKey group, CancellationToken cancellationToken) =>
        AnnotateAsync(group, KaiConventions.LastEvictionTimestampAnnotation, time.GetUtcNow(), cancellationToken);

    /// <param name="group">The pod group.</param>
    /// <param name="since">When it became stale, or null to clear the stamp.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public ValueTask SetStaleSinceAsync(PodGroupKey group, DateTimeOffset? since, CancellationToken cancellationToken) =>
        AnnotateAsync(group, KaiConventions.StaleTimestampAnnotation, since, cancellationToken);

    /// <summary>Sets (or, for null, removes) a timestamp annotation on a pod group.</summary>
    private async ValueTask AnnotateAsync(PodGroupKey key, string annotation, DateTimeOffset? value, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<PodGroup>(key.Namespace, key.Name, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return;
        }

        var stamp = value?.ToUniversalTime().ToString(KaiConventions.TimestampAnnotationFormat, CultureInfo.InvariantCulture);
        var annotated = KubeObjects.WithEditedMetadata(group, m =>
        {
            m.Annotations ??= new Dictionary<string, string>();
            if (stamp is null)
            {
                m.Annotations.Remove(annotation);
            }
            else
            {
                m.Annotations[annotation] = stamp;
            }
        });
        await cluster.ReplaceAsync(annotated, cancellationToken).ConfigureAwait(false);
    }
}
