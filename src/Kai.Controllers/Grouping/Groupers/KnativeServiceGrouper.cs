using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Knative Services. In gang mode (<see cref="PodGrouperOptions.KnativeGangSchedule"/>, the default) the pods of a
/// revision (pod label <c>serving.knative.dev/revision</c>) form one pod group, <c>pg-&lt;revision&gt;-&lt;uid&gt;</c>,
/// owned by the Revision, with minMember its <c>autoscaling.knative.dev/min-scale</c> annotation (default 1); a
/// revision whose pods already have a pod group each keeps that. Otherwise each pod gets its own group. Priority
/// <c>inference</c> unless the revision or pod names another (per-pod groups: always <c>inference</c>).
/// </summary>
internal sealed class KnativeServiceGrouper(DefaultGrouper defaults) : IGrouper
{
    public const string RevisionLabel = "serving.knative.dev/revision";
    public const string MinScaleAnnotation = "autoscaling.knative.dev/min-scale";

    public string Name => "KNative Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        if (!context.PodLabels.TryGetValue(RevisionLabel, out var revisionName))
        {
            throw new GroupingException($"revisionName not found for knative service pod {context.PodNamespace}/{context.PodName}");
        }

        var revisionObject = await context.Cluster.GetAsync(WorkloadKinds.KnativeRevision, context.PodNamespace, revisionName, context.CancellationToken).ConfigureAwait(false)
            ?? throw new GroupingException($"revisions.serving.knative.dev \"{revisionName}\" not found");
        var revision = ObjectView.Of(revisionObject, context.Cluster.Kinds);
        var perPod = !context.Options.KnativeGangSchedule || await HasPodGroupPerPodAsync(revision, context).ConfigureAwait(false);
        var metadata = await defaults.GroupAsync(revision, [], context).ConfigureAwait(false);
        metadata.Annotations = DefaultGrouper.AnnotationsFor(revision, context);
        metadata.Labels = DefaultGrouper.LabelsFor(revision, context);
        metadata.Queue = DefaultGrouper.QueueFor(revision, context);
        metadata.Preemptibility = string.Empty;
        metadata.PreemptionDelay = null;
        metadata.StalenessGracePeriod = null;
        metadata.Topology = metadata.RequiredTopologyLevel = metadata.PreferredTopologyLevel = null;
        if (perPod)
        {
            metadata.Name = DefaultGrouper.NameFor(context.PodView);
            metadata.Owner = DefaultGrouper.OwnerReferenceTo(context.PodView);
            metadata.PriorityClassName = KaiConventions.InferencePriorityClass;
            metadata.MinAvailable = 1;
            return metadata;
        }

        metadata.Name = DefaultGrouper.NameFor(revision);
        metadata.Owner = DefaultGrouper.OwnerReferenceTo(revision);
        metadata.PriorityClassName = await DefaultGrouper.TopOwnerPriorityClassAsync(revision, context, KaiConventions.InferencePriorityClass).ConfigureAwait(false);
        metadata.MinAvailable = revision.Annotations.TryGetValue(MinScaleAnnotation, out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minScale) ? minScale : 1;
        return metadata;
    }

    /// <summary>Whether the revision's pods were grouped one per pod (by an earlier version or without gang mode).</summary>
    private static async ValueTask<bool> HasPodGroupPerPodAsync(ObjectView revision, GroupingContext context)
    {
        var pods = await context.Cluster.ListAsync<V1Pod>(context.CancellationToken).ConfigureAwait(false);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods.Items.Where(p => p.Metadata.NamespaceProperty == revision.Namespace
            && p.Metadata.Labels?.TryGetValue(RevisionLabel, out var r) == true && r == revision.Name))
        {
            if (pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var group) != true)
            {
                continue;
            }

            if (!groups.Add(group!))
            {
                return false; // two pods share a group: gang scheduled
            }
        }

        if (groups.Count != 1)
        {
            return groups.Count > 1;
        }

        var only = await context.Cluster.GetAsync<PodGroup>(revision.Namespace, groups.First(), context.CancellationToken).ConfigureAwait(false);
        if (only is null)
        {
            return false;
        }

        return only.Metadata.OwnerReferences is [var owner, ..]
            ? owner.Kind switch
            {
                "Pod" => true,
                _ when owner.Kind == revision.Kind.Kind => false,
                _ => throw new GroupingException($"podgroup {only.Metadata.Name} has unexpected owner reference: {owner.Kind}/{owner.Name}"),
            }
            : throw new GroupingException($"podgroup {only.Metadata.Name} has no owner references");
    }
}
