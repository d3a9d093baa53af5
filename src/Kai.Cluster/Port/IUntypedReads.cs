using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// Reads by <see cref="KindKey"/>, for components that meet kinds they have no C# type for — the pod-grouper
/// walking a pod's owners (a PyTorchJob, a RayCluster, any custom resource) and the workload controllers. A
/// backend that can address a kind by apiVersion and kind implements it next to <see cref="ICluster"/>.
/// </summary>
/// <remarks>Objects are shared with the backend, as with <see cref="ICluster"/>: never mutate them.</remarks>
public interface IUntypedReads
{
    /// <summary>One object of <paramref name="kind"/>, or null when it (or its kind) does not exist.</summary>
    ValueTask<IKubernetesObject<V1ObjectMeta>?> GetAsync(KindKey kind, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>All objects of <paramref name="kind"/>; empty when the kind is unknown.</summary>
    ValueTask<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(KindKey kind, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object of <paramref name="kind"/>, as <see cref="ICluster.DeleteAsync{T}"/> does.</summary>
    /// <exception cref="ClusterException"><see cref="ClusterErrorReason.NotFound"/>.</exception>
    ValueTask DeleteAsync(KindKey kind, string? ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default);
}
