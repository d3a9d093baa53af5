using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Deployments: one pod group per pod, <c>pg-&lt;pod&gt;-&lt;pod uid&gt;</c>, owned by the pod (so it goes with the
/// pod), priority <c>inference</c> unless the Deployment or pod names another.
/// </summary>
internal sealed class DeploymentGrouper(DefaultGrouper defaults) : IGrouper
{
    public string Name => "Deployment Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        metadata.Owner = DefaultGrouper.OwnerReferenceTo(context.PodView);
        metadata.PriorityClassName = await DefaultGrouper.TopOwnerPriorityClassAsync(topOwner, context, KaiConventions.InferencePriorityClass).ConfigureAwait(false);
        metadata.Name = DefaultGrouper.NameFor(context.PodView);
        return metadata;
    }
}

/// <summary>A default grouping whose kind defaults to priority <c>inference</c> (SPOTRequest).</summary>
internal sealed class InferenceDefaultGrouper(DefaultGrouper defaults, string name) : IGrouper
{
    public string Name => name;

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        metadata.PriorityClassName = await DefaultGrouper.TopOwnerPriorityClassAsync(topOwner, context, KaiConventions.InferencePriorityClass).ConfigureAwait(false);
        return metadata;
    }
}

/// <summary>Kubeflow Notebooks: the default grouping with priority <c>build</c> unless the Notebook or pod names another.</summary>
internal sealed class NotebookGrouper(DefaultGrouper defaults) : IGrouper
{
    public string Name => "Kubeflow Notebook Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        metadata.PriorityClassName = await DefaultGrouper.TopOwnerPriorityClassAsync(topOwner, context, KaiConventions.BuildPriorityClass).ConfigureAwait(false);
        return metadata;
    }
}
