using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling;
using Kai.Scheduling.Resources;
using Queue = Kai.Cluster.Crds.Queue;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>Writes a queue's allocated, non-preemptible and requested resources into its status, when they changed.</summary>
internal sealed class QueueStatusWriter(ICluster cluster)
{
    public async ValueTask WriteAsync(QueueFigures figures, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<Queue>(null, figures.Queue.Name, cancellationToken).ConfigureAwait(false) is not { } queue)
        {
            return;
        }

        var allocated = ToResourceList(figures.Allocated);
        var nonPreemptible = ToResourceList(figures.AllocatedNonPreemptible);
        var requested = ToResourceList(figures.Requested);
        var status = queue.Status;
        if (status is not null && SameList(status.Allocated, allocated) && SameList(status.AllocatedNonPreemptible, nonPreemptible) && SameList(status.Requested, requested))
        {
            return;
        }

        var updated = KubeObjects.ShallowCopy(queue);
        updated.Status = status is null ? new QueueStatus() : KubeObjects.ShallowCopy(status);
        updated.Status.Allocated = allocated;
        updated.Status.AllocatedNonPreemptible = nonPreemptible;
        updated.Status.Requested = requested;
        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Written again next cycle.
        }
    }

    private static Dictionary<string, ResourceQuantity> ToResourceList(ResourceVector vector) => new(StringComparer.Ordinal)
    {
        ["cpu"] = new ResourceQuantity($"{vector.Cpu}m"),
        ["memory"] = new ResourceQuantity(vector.Memory.ToString(CultureInfo.InvariantCulture)),
        [KaiConventions.GpuResource] = new ResourceQuantity((vector.Gpu / (decimal)ResourceVector.MilliPerGpu).ToString(CultureInfo.InvariantCulture)),
    };

    private static bool SameList(IDictionary<string, ResourceQuantity>? a, Dictionary<string, ResourceQuantity> b) =>
        a is not null && a.Count == b.Count && b.All(p => a.TryGetValue(p.Key, out var v) && v.ToString() == p.Value.ToString());
}
