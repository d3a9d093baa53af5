using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Workloads;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Kubernetes Jobs: one pod group per pod, <c>pg-&lt;pod&gt;-&lt;job uid&gt;</c>, owned by the Job, minMember 1. With
/// <see cref="PodGrouperOptions.SearchForLegacyPodGroups"/>, a pod group named after the Job
/// (<c>pg-&lt;job&gt;-&lt;uid&gt;</c>, as earlier versions named it for a Job without parallelism) is reused when it exists.
/// </summary>
internal sealed class JobGrouper(DefaultGrouper defaults) : IGrouper
{
    public string Name => "BatchJob Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        metadata.Name = await NameAsync(topOwner, context).ConfigureAwait(false);
        return metadata;
    }

    private static async ValueTask<string> NameAsync(ObjectView job, GroupingContext context)
    {
        if (context.Options.SearchForLegacyPodGroups)
        {
            var baseName = job.Int64("spec", "parallelism") is > 1 ? context.PodName : job.Name;
            var legacy = $"pg-{baseName}-{job.Uid}";
            if (await context.Cluster.GetAsync<PodGroup>(context.PodNamespace, legacy, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                return legacy;
            }
        }

        return $"pg-{context.PodName}-{job.Uid}";
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
