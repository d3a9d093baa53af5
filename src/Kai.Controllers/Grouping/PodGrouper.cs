using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping;

/// <summary>
/// KAI's pod-grouper for pods without an owner workload: a pod that names no pod group (annotation
/// <c>pod-group-name</c>) gets one of its own, <c>pg-&lt;pod&gt;-&lt;uid&gt;</c> with minMember 1, its queue from the
/// <c>kai.scheduler/queue</c> label (else <c>default-queue</c>) and its priority class from the
/// <c>priorityClassName</c> label or the pod spec when that class exists (else <c>train</c>). The pod group is
/// owned by the pod, so it goes when the pod goes.
/// </summary>
public sealed class PodGrouper : IDisposable
{
    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;

    private PodGrouper(ICluster cluster, IChangeFeed feed)
    {
        _cluster = cluster;
        _feed = feed;
    }

    public static async ValueTask<PodGrouper> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), cancellationToken).ConfigureAwait(false);
        return new PodGrouper(cluster, feed);
    }

    /// <summary>Groups every pod that arrived since the last call.</summary>
    /// <returns>How many pod groups were created.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var created = 0;
        while (_feed.Changes.TryRead(out var change))
        {
            if (change.Type != ChangeType.Added || change.Object is not V1Pod pod || !NeedsGroup(pod))
            {
                continue;
            }

            await GroupAsync(pod, cancellationToken).ConfigureAwait(false);
            created++;
        }

        return created;
    }

    public void Dispose() => _feed.Dispose();

    /// <summary>The name KAI's pod-grouper gives the group of a pod without owner.</summary>
    public static string GroupNameFor(V1Pod pod) => $"pg-{pod.Metadata.Name}-{pod.Metadata.Uid}";

    private static bool NeedsGroup(V1Pod pod) =>
        string.Equals(pod.Spec?.SchedulerName, KaiConventions.SchedulerName, StringComparison.Ordinal)
        && pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase is not ("Succeeded" or "Failed")
        && pod.Metadata.Annotations?.ContainsKey(KaiConventions.PodGroupAnnotation) != true;

    private async ValueTask GroupAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var queue = labels.TryGetValue(KaiConventions.QueueLabel, out var q) && q.Length > 0 ? q : KaiConventions.DefaultQueue;
        var priorityClass = await PriorityClassForAsync(pod, labels, cancellationToken).ConfigureAwait(false);
        var name = GroupNameFor(pod);
        var group = new PodGroup
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = pod.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [KaiConventions.QueueLabel] = queue },
                OwnerReferences = [KubeObjects.OwnerReferenceTo(pod, _cluster.Kinds)],
            },
            Spec = new PodGroupSpec
            {
                MinMember = 1,
                Queue = queue,
                PriorityClassName = priorityClass,
                Preemptibility = labels.TryGetValue(KaiConventions.PreemptibilityLabel, out var preemptibility) ? preemptibility : null,
            },
        };

        try
        {
            await _cluster.CreateAsync(group, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            // Grouped before (e.g. a restart); the annotation below is all that is missing.
        }

        var latest = await _cluster.GetAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return;
        }

        var annotated = KubeObjects.WithEditedMetadata(latest, m =>
        {
            m.Annotations ??= new Dictionary<string, string>();
            m.Annotations[KaiConventions.PodGroupAnnotation] = name;
        });
        await _cluster.ReplaceAsync(annotated, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<string> PriorityClassForAsync(V1Pod pod, IDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        foreach (var candidate in new[] { labels.TryGetValue(KaiConventions.PriorityClassLabel, out var l) ? l : null, pod.Spec?.PriorityClassName })
        {
            if (!string.IsNullOrEmpty(candidate)
                && await _cluster.GetAsync<V1PriorityClass>(null, candidate, cancellationToken).ConfigureAwait(false) is not null)
            {
                return candidate;
            }
        }

        return KaiConventions.DefaultPriorityClass;
    }
}
