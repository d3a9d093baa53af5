using Kai.Cluster.Port;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Wrappers around a workload (an Argo Workflow, a Run:ai workload, a TrainJob around its JobSet): the next owner
/// down is grouped by its own kind's grouper, inheriting the wrapper's labels and annotations it does not have, and
/// the wrapper kind's per-kind default priority class and preemptibility as labels.
/// </summary>
internal sealed class SkipTopOwnerGrouper : IGrouper
{
    public string Name => "SkipTopOwner Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        // The owner just below the wrapper (the pod itself when the wrapper owns it directly).
        var next = owners.Count <= 1 ? context.PodView : owners[^2];
        var defaults = (await KindDefaults.ReadAsync(context).ConfigureAwait(false)).For(topOwner.Kind);
        var inherited = KubeObjects.WithEditedMetadata(next.Object, m =>
        {
            m.Labels ??= new Dictionary<string, string>();
            m.Annotations ??= new Dictionary<string, string>();
            if (defaults?.PriorityName is { Length: > 0 } priority)
            {
                m.Labels.TryAdd(KaiConventions.PriorityClassLabel, priority);
            }

            if (defaults?.Preemptibility is { Length: > 0 } preemptibility)
            {
                m.Labels.TryAdd(KaiConventions.PreemptibilityLabel, preemptibility);
            }

            foreach (var (key, value) in topOwner.Labels)
            {
                m.Labels.TryAdd(key, value);
            }

            foreach (var (key, value) in topOwner.Annotations)
            {
                m.Annotations.TryAdd(key, value);
            }
        });
        var view = ObjectView.Of(inherited, context.Cluster.Kinds);
        var below = owners.Count <= 1 ? new List<ObjectView>() : [.. owners.Take(owners.Count - 1)];
        if (below.Count > 0)
        {
            below[^1] = view;
        }

        return await context.Hub.GroupAsync(view, below, context).ConfigureAwait(false);
    }
}
