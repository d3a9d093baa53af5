using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    public ValueTask<DeleteResult<V1Pod>> EvictPodAsync(string ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default) =>
        Run(
            (Ns: ns, Name: name, Grace: gracePeriodSeconds),
            static (cluster, a) =>
            {
                var (obj, removed) = cluster.EvictLocked(a.Ns, a.Name, a.Grace, default);
                return new DeleteResult<V1Pod>((V1Pod)obj, removed);
            },
            cancellationToken);

    /// <summary>As <see cref="EvictPodAsync"/>, with delete preconditions, for the Eviction API served over this cluster.</summary>
    public DeleteResult<IKubernetesObject<V1ObjectMeta>> EvictPod(string? ns, string name, long? gracePeriodSeconds = null, DeletePreconditions preconditions = default)
    {
        lock (_lock)
        {
            var (obj, removed) = EvictLocked(ns, name, gracePeriodSeconds, preconditions);
            return new DeleteResult<IKubernetesObject<V1ObjectMeta>>(obj, removed);
        }
    }

    // Budget check, budget status and delete happen under one lock, so two evictions never take the same disruption.
    private (IKubernetesObject<V1ObjectMeta> Object, bool Removed) EvictLocked(string? ns, string name, long? gracePeriodSeconds, DeletePreconditions preconditions)
    {
        var podKind = _kinds.Get<V1Pod>();
        var pod = (V1Pod)Existing(podKind, ns, name, out _, out var key);
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return (pod, false);
        }

        if (!DisruptionBudgets.IgnoresBudgets(pod) && _kinds.TryGet(typeof(V1PodDisruptionBudget), out var budgetKind)
            && _stores.TryGetValue(budgetKind, out var budgets))
        {
            var selecting = budgets.Objects.Values.Cast<V1PodDisruptionBudget>().Where(b => DisruptionBudgets.Selects(b, pod)).ToList();
            if (selecting.Count > 1)
            {
                throw new ClusterException(ClusterErrorReason.InternalError, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (selecting is [var budget])
            {
                var pods = StoreFor(podKind).Objects.Values.Cast<V1Pod>().Where(p => p.Metadata.NamespaceProperty == key.Namespace);
                var status = DisruptionBudgets.TakeDisruption(budget, pod, pods, Now());
                var updated = KubeObjects.ShallowCopy(budget);
                updated.Status = status;
                ReplaceStatusLocked(budgetKind, updated);
            }
        }

        return DeleteLocked(podKind, ns, name, gracePeriodSeconds, preconditions);
    }
}
