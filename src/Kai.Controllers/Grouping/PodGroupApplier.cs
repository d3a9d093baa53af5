using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Controllers.Grouping;

/// <summary>
/// Turns <see cref="PodGroupMetadata"/> into a PodGroup: creates it, or updates one that differs. As in KAI, an
/// update never changes what others own: <c>spec.queue</c>, <c>markUnschedulable</c>, <c>schedulingBackoff</c> and
/// the node-pool and queue labels keep their stored values; labels and annotations are merged, never removed.
/// </summary>
internal static class PodGroupApplier
{
    private const int Attempts = 3;

    /// <returns>True when the PodGroup was created or changed.</returns>
    public static async ValueTask<bool> ApplyAsync(PodGroupMetadata metadata, ICluster cluster, PodGrouperOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await cluster.GetAsync<PodGroup>(metadata.Namespace, metadata.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is null)
                {
                    await cluster.CreateAsync(Build(metadata), cancellationToken).ConfigureAwait(false);
                    return true;
                }

                var desired = KeepOwnedFields(existing, Build(metadata), options);
                if (Same(existing, desired))
                {
                    return false;
                }

                await cluster.ReplaceAsync(Merge(existing, desired), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.AlreadyExists && attempt < Attempts)
            {
                // Written by someone else meanwhile: read it again.
            }
        }
    }

    /// <summary>The PodGroup <paramref name="metadata"/> describes.</summary>
    public static PodGroup Build(PodGroupMetadata metadata) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = metadata.Name,
            NamespaceProperty = metadata.Namespace,
            Labels = new Dictionary<string, string>(metadata.Labels, StringComparer.Ordinal),
            Annotations = new Dictionary<string, string>(metadata.Annotations, StringComparer.Ordinal),
            OwnerReferences = [metadata.Owner],
        },
        Spec = new PodGroupSpec
        {
            MinMember = metadata.MinSubGroup is null ? metadata.MinAvailable : null,
            MinSubGroup = metadata.MinSubGroup,
            Queue = metadata.Queue,
            PriorityClassName = metadata.PriorityClassName,
            Preemptibility = metadata.Preemptibility.Length == 0 ? null : metadata.Preemptibility,
            SubGroups = metadata.SubGroups.Count == 0 ? null : [.. metadata.SubGroups.Select(Build)],
            TopologyConstraint = new TopologyConstraint
            {
                Topology = NullIfEmpty(metadata.Topology),
                RequiredTopologyLevel = NullIfEmpty(metadata.RequiredTopologyLevel),
                PreferredTopologyLevel = NullIfEmpty(metadata.PreferredTopologyLevel),
            },
            PreemptionDelay = metadata.PreemptionDelay,
            StalenessGracePeriod = metadata.StalenessGracePeriod,
        },
    };

    private static SubGroup Build(SubGroupMetadata subGroup) => new()
    {
        Name = subGroup.Name,
        MinMember = subGroup.MinSubGroup is null ? subGroup.MinAvailable : null,
        MinSubGroup = subGroup.MinSubGroup,
        Parent = subGroup.Parent,
        TopologyConstraint = subGroup.Topology is { } topology
            ? new TopologyConstraint
            {
                Topology = topology.Topology,
                RequiredTopologyLevel = NullIfEmpty(topology.RequiredLevel),
                PreferredTopologyLevel = NullIfEmpty(topology.PreferredLevel),
            }
            : null,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static PodGroup KeepOwnedFields(PodGroup existing, PodGroup desired, PodGrouperOptions options)
    {
        var spec = desired.Spec;
        spec.MarkUnschedulable = existing.Spec?.MarkUnschedulable;
        spec.SchedulingBackoff = existing.Spec?.SchedulingBackoff;
        spec.Queue = existing.Spec?.Queue;
        var labels = desired.Metadata.Labels!;
        var stored = existing.Metadata.Labels ?? new Dictionary<string, string>();
        if (options.NodePoolLabelKey.Length > 0)
        {
            if (stored.TryGetValue(options.NodePoolLabelKey, out var pool))
            {
                labels[options.NodePoolLabelKey] = pool;
            }
            else
            {
                labels.Remove(options.NodePoolLabelKey);
            }
        }

        if (stored.TryGetValue(options.QueueLabelKey, out var queue))
        {
            labels[options.QueueLabelKey] = queue;
        }

        return desired;
    }

    private static bool Same(PodGroup existing, PodGroup desired) =>
        KubernetesJson.Serialize(existing.Spec) == KubernetesJson.Serialize(desired.Spec)
        && KubernetesJson.Serialize(existing.Metadata.OwnerReferences) == KubernetesJson.Serialize(desired.Metadata.OwnerReferences)
        && Contains(existing.Metadata.Labels, desired.Metadata.Labels)
        && Contains(existing.Metadata.Annotations, desired.Metadata.Annotations);

    private static bool Contains(IDictionary<string, string>? stored, IDictionary<string, string>? wanted) =>
        wanted is null || wanted.All(p => stored is not null && stored.TryGetValue(p.Key, out var value) && value == p.Value);

    private static PodGroup Merge(PodGroup existing, PodGroup desired)
    {
        var updated = KubeObjects.WithEditedMetadata(existing, m =>
        {
            m.Labels ??= new Dictionary<string, string>();
            m.Annotations ??= new Dictionary<string, string>();
            foreach (var (key, value) in desired.Metadata.Labels!)
            {
                m.Labels[key] = value;
            }

            foreach (var (key, value) in desired.Metadata.Annotations!)
            {
                m.Annotations[key] = value;
            }

            m.OwnerReferences = desired.Metadata.OwnerReferences;
        });
        updated.Spec = desired.Spec;
        return updated;
    }
}
