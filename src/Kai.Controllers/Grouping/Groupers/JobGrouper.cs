using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Kubernetes Jobs: one pod group for the whole Job, <c>pg-&lt;job&gt;-&lt;uid&gt;</c>, owned by the Job, so its
/// topology annotations and its minimum apply to all its pods. minMember is 1 (each pod may start on its own) unless
/// the Job's <c>kai.scheduler/batch-min-member</c> annotation asks for more. With
/// <see cref="PodGrouperOptions.SearchForLegacyPodGroups"/>, a pod group earlier versions made for this pod alone
/// (<c>pg-&lt;pod&gt;-&lt;job uid&gt;</c>) is reused while it exists, with minMember 1, so an upgrade does not
/// move running pods.
/// </summary>
internal sealed class JobGrouper(DefaultGrouper defaults) : IGrouper
{
    public string Name => "BatchJob Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        var legacy = await LegacyNameAsync(topOwner, context).ConfigureAwait(false);
        metadata.Name = legacy ?? DefaultGrouper.NameFor(topOwner);
        metadata.MinAvailable = legacy is null ? MinMemberOf(topOwner) : 1;
        return metadata;
    }

    /// <summary>The per-pod pod group of earlier versions, when the search is on and it exists.</summary>
    private static async ValueTask<string?> LegacyNameAsync(ObjectView job, GroupingContext context)
    {
        var legacy = $"pg-{context.PodName}-{job.Uid}";
        if (!context.Options.SearchForLegacyPodGroups || legacy == DefaultGrouper.NameFor(job))
        {
            return null;
        }

        return await context.Cluster.GetAsync<PodGroup>(context.PodNamespace, legacy, context.CancellationToken).ConfigureAwait(false) is null ? null : legacy;
    }

    /// <summary>The Job's <c>kai.scheduler/batch-min-member</c> annotation, else 1.</summary>
    private static int MinMemberOf(ObjectView job)
    {
        if (!job.Annotations.TryGetValue(KaiConventions.MinMemberOverrideAnnotation, out var text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new GroupingException($"invalid {KaiConventions.MinMemberOverrideAnnotation} annotation on Job {job.Name}: \"{text}\" is not a whole number of at least 1");
    }
}

/// <summary>CronJobs: the pod is grouped by its Job, as the default grouper groups a Job (<c>pg-&lt;job&gt;-&lt;job uid&gt;</c>).</summary>
internal sealed class CronJobGrouper(DefaultGrouper defaults) : IGrouper
{
    public string Name => "CronJob Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var reference = context.Pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Job")
            ?? throw new GroupingException("no owner reference of type 'Job'");
        var job = await context.Cluster.GetAsync<V1Job>(context.PodNamespace, reference.Name, context.CancellationToken).ConfigureAwait(false)
            ?? throw new GroupingException($"jobs.batch \"{reference.Name}\" not found");
        return await defaults.GroupAsync(ObjectView.Of(job, context.Cluster.Kinds), [], context).ConfigureAwait(false);
    }
}

/// <summary>
/// Pods without owners: a pod group of their own, <c>pg-&lt;pod&gt;-&lt;uid&gt;</c>, owned by the pod. A Spark pod
/// (labels <c>spark-app-name</c> and <c>spark-app-selector</c>) joins the group named by its <c>spark-app-selector</c>.
/// </summary>
internal sealed class BarePodGrouper(DefaultGrouper defaults) : IGrouper
{
    private const string SparkAppName = "spark-app-name";
    private const string SparkAppSelector = "spark-app-selector";

    public string Name => "Pod Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        if (context.PodLabels.ContainsKey(SparkAppName) && context.PodLabels.TryGetValue(SparkAppSelector, out var selector))
        {
            metadata.Name = selector;
        }

        return metadata;
    }
}
