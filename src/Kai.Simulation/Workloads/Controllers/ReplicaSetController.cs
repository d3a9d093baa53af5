using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubernetes' ReplicaSet controller: keeps <c>replicas</c> (default 1) active pods, named <c>&lt;rs&gt;-…</c>,
/// creating replacements for pods that are deleted or end and deleting extras (pending ones first, then the
/// newest).
/// </summary>
internal sealed class ReplicaSetController : IWorkloadController
{
    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.ReplicaSet];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var set = (V1ReplicaSet)owner;
        var wanted = set.Spec.Replicas ?? 1;
        var active = context.Children<V1Pod>(set).Where(PodStates.IsActive).ToList();
        for (var i = active.Count; i < wanted; i++)
        {
            await context.CreatePodAsync(set, PodTemplates.Pod(set.Spec.Template, set, WorkloadKinds.ReplicaSet, null, set.Metadata.Name + "-")).ConfigureAwait(false);
        }

        var extras = active
            .OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
            .ThenByDescending(p => p.Metadata.CreationTimestamp)
            .ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal)
            .Take(Math.Max(0, active.Count - wanted))
            .ToList();
        foreach (var extra in extras)
        {
            await context.DeleteAsync(extra).ConfigureAwait(false);
        }

        var remaining = active.Except(extras).ToList();
        var ready = remaining.Count(PodStates.IsReady);
        var status = (set.Status ?? new V1ReplicaSetStatus()) with
        {
            Replicas = remaining.Count,
            FullyLabeledReplicas = remaining.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            ObservedGeneration = set.Metadata.Generation,
        };
        await context.WriteStatusAsync(set, set with { Status = status }).ConfigureAwait(false);
    }
}
