using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping;

/// <summary>
/// KAI's pod-grouper, on any <see cref="ICluster"/>: every pod with the scheduler's <c>schedulerName</c> gets the
/// pod group its workload calls for. Its top owner is found (<see cref="OwnerChain"/>), the grouper for that kind
/// (<see cref="GrouperHub"/>) decides the group's name, minMember, subgroups, queue, priority and preemptibility,
/// the PodGroup is created or updated (<see cref="PodGroupApplier"/>), and the pod is annotated with
/// <c>pod-group-name</c> and, in a subgroup, labelled <c>kai.scheduler/subgroup-name</c>.
/// </summary>
/// <remarks>
/// <para>Left alone: pods annotated <c>kai.scheduler/skip-podgrouper: "true"</c> (or whose owners are), and pods
/// without owners that already name a pod group (the user made it).</para>
/// <para>A pod is grouped when it appears and again when its labels, annotations, owners or node change (KAI reconciles
/// every pod event; other changes cannot change its group). A pod that cannot be grouped gets a Warning event
/// <c>PodGrouperWarning</c> saying why, and is tried again on every later run until it can be.</para>
/// </remarks>
public sealed class PodGrouper : IDisposable
{
    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly PodGrouperOptions _options;
    private readonly GrouperHub _hub = new();
    private readonly Dictionary<string, V1Pod> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _failed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastWarning = new(StringComparer.Ordinal);

    // The last version seen of every pod, to tell which changes can change its group.
    private readonly Dictionary<string, V1Pod> _seen = new(StringComparer.Ordinal);

    private PodGrouper(ICluster cluster, IChangeFeed feed, PodGrouperOptions options)
    {
        _cluster = cluster;
        _feed = feed;
        _options = options;
    }

    public static async ValueTask<PodGrouper> CreateAsync(ICluster cluster, PodGrouperOptions? options = null, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), cancellationToken).ConfigureAwait(false);
        return new PodGrouper(cluster, feed, options ?? new PodGrouperOptions());
    }

    /// <summary>The name KAI's pod-grouper gives the group of a pod without owner.</summary>
    public static string GroupNameFor(V1Pod pod) => $"pg-{pod.Metadata.Name}-{pod.Metadata.Uid}";

    /// <summary>Groups every pod that appeared or changed since the last call, and retries those that failed.</summary>
    /// <returns>How many pods were assigned to a pod group (annotated, or moved to another subgroup).</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        Drain();
        var work = _queued.Values.ToList();
        work.AddRange(_failed.Values.Where(p => !_queued.ContainsKey(p.Metadata.Uid!)));
        _queued.Clear();
        _failed.Clear();

        var assigned = 0;
        foreach (var pod in work)
        {
            try
            {
                if (await GroupAsync(pod, cancellationToken).ConfigureAwait(false))
                {
                    assigned++;
                }

                _lastWarning.Remove(pod.Metadata.Uid!);
            }
            catch (GroupingException e)
            {
                _failed[pod.Metadata.Uid!] = pod;
                await WarnAsync(pod, e.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        return assigned;
    }

    public void Dispose() => _feed.Dispose();

    private void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            if (change.Object is not V1Pod pod || pod.Metadata.Uid is not { } uid)
            {
                continue;
            }

            switch (change.Type)
            {
                case ChangeType.Deleted:
                    _queued.Remove(uid);
                    _failed.Remove(uid);
                    _lastWarning.Remove(uid);
                    _seen.Remove(uid);
                    break;
                case ChangeType.Added:
                    _queued[uid] = pod;
                    _seen[uid] = pod;
                    break;
                default:
                    if (_queued.ContainsKey(uid) || _failed.ContainsKey(uid) || !_seen.TryGetValue(uid, out var before) || MayChangeGroup(before, pod))
                    {
                        _queued[uid] = pod;
                    }

                    _seen[uid] = pod;
                    break;
            }
        }
    }

    // Only labels, annotations, owners and the node (LeaderWorkerSet's leader) can change a pod's group.
    private static bool MayChangeGroup(V1Pod before, V1Pod after) =>
        !ReferenceEquals(before.Metadata.Labels, after.Metadata.Labels) && !SameMap(before.Metadata.Labels, after.Metadata.Labels)
        || !ReferenceEquals(before.Metadata.Annotations, after.Metadata.Annotations) && !SameMap(before.Metadata.Annotations, after.Metadata.Annotations)
        || !ReferenceEquals(before.Metadata.OwnerReferences, after.Metadata.OwnerReferences)
        || before.Spec?.NodeName != after.Spec?.NodeName;

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));

    /// <returns>True when the pod was annotated or relabelled.</returns>
    private async ValueTask<bool> GroupAsync(V1Pod queued, CancellationToken cancellationToken)
    {
        // The feed may lag behind; group the pod as it is now.
        var pod = await _cluster.GetAsync<V1Pod>(queued.Metadata.NamespaceProperty, queued.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (pod is null || pod.Metadata.Uid != queued.Metadata.Uid
            || !string.Equals(pod.Spec?.SchedulerName, _options.SchedulerName, StringComparison.Ordinal)
            || Skips(pod.Metadata)
            || (pod.Metadata.OwnerReferences is not { Count: > 0 } && pod.Metadata.Annotations?.ContainsKey(KaiConventions.PodGroupAnnotation) == true))
        {
            return false;
        }

        OwnerChain owners;
        try
        {
            owners = await OwnerChain.FindAsync(pod, _cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (GroupingException) when (pod.Metadata.DeletionTimestamp is not null)
        {
            return false; // its owner may be gone first; nothing to group
        }

        if (owners.Owners.Any(o => Skips(o.Metadata)))
        {
            return false;
        }

        var context = new GroupingContext { Pod = pod, Cluster = _cluster, Options = _options, Hub = _hub, CancellationToken = cancellationToken };
        var metadata = await _hub.GroupAsync(owners.TopOwner, owners.Owners, context).ConfigureAwait(false);
        AddNodePoolLabel(metadata, pod);
        await PodGroupApplier.ApplyAsync(metadata, _cluster, _options, cancellationToken).ConfigureAwait(false);
        return await AssignAsync(pod, metadata, cancellationToken).ConfigureAwait(false);
    }

    private static bool Skips(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(KaiConventions.SkipPodGrouperAnnotation, out var skip) == true && skip == "true";

    private void AddNodePoolLabel(PodGroupMetadata metadata, V1Pod pod)
    {
        var key = _options.NodePoolLabelKey;
        if (key.Length > 0 && !metadata.Labels.ContainsKey(key) && pod.Metadata.Labels?.TryGetValue(key, out var pool) == true)
        {
            metadata.Labels[key] = pool;
        }
    }

    /// <summary>Writes <c>pod-group-name</c> and the subgroup label onto the pod when they differ.</summary>
    private async ValueTask<bool> AssignAsync(V1Pod pod, PodGroupMetadata metadata, CancellationToken cancellationToken)
    {
        var subGroup = metadata.SubGroupOf(pod.Metadata.Name)?.Name;
        for (var attempt = 1; ; attempt++)
        {
            var currentGroup = pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var g) == true ? g : null;
            var currentSubGroup = pod.Metadata.Labels?.TryGetValue(KaiConventions.SubGroupLabel, out var sg) == true ? sg : null;
            if (currentGroup == metadata.Name && (subGroup is null || currentSubGroup == subGroup))
            {
                return false;
            }

            var assigned = KubeObjects.WithEditedMetadata(pod, m =>
            {
                m.Annotations ??= new Dictionary<string, string>();
                m.Annotations[KaiConventions.PodGroupAnnotation] = metadata.Name;
                if (subGroup is not null)
                {
                    m.Labels ??= new Dictionary<string, string>();
                    m.Labels[KaiConventions.SubGroupLabel] = subGroup;
                }
            });
            try
            {
                await _cluster.ReplaceAsync(assigned, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict && attempt < 3)
            {
                pod = await _cluster.GetAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancellationToken).ConfigureAwait(false) ?? pod;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                return false;
            }
        }
    }

    private async ValueTask WarnAsync(V1Pod pod, string message, CancellationToken cancellationToken)
    {
        if (_lastWarning.TryGetValue(pod.Metadata.Uid!, out var last) && last == message)
        {
            return;
        }

        _lastWarning[pod.Metadata.Uid!] = message;
        await _cluster.RecordEventAsync("pod-grouper", pod, EventType.Warning, KaiConventions.PodGrouperWarningReason, message, cancellationToken).ConfigureAwait(false);
    }
}
