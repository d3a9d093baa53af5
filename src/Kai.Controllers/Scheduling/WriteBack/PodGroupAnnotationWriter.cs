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
    /// <summary>The last timestamp formatted and its text: a cycle stamps thousands of groups with the same time.</summary>
    private (DateTimeOffset Value, string Text) _lastStamp;

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

        var stamp = value is { } at ? Stamp(at) : null;

        // Only the annotations change: the group's labels, owner references and finalizers are not copied.
        var annotated = KubeObjects.WithEditedAnnotations(group, annotations =>
        {
            if (stamp is null)
            {
                annotations.Remove(annotation);
            }
            else
            {
                annotations[annotation] = stamp;
            }
        });
        await cluster.ReplaceAsync(annotated, cancellationToken).ConfigureAwait(false);
    }

    private string Stamp(DateTimeOffset value)
    {
        if (_lastStamp.Text is null || _lastStamp.Value != value)
        {
            _lastStamp = (value, value.ToUniversalTime().ToString(KaiConventions.TimestampAnnotationFormat, CultureInfo.InvariantCulture));
        }

        return _lastStamp.Text;
    }
}
