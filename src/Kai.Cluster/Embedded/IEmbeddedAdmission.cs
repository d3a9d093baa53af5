using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// Admission for the embedded cluster: what the API server's admission webhooks do to a client's create or
/// update before it is stored.
/// </summary>
public interface IEmbeddedAdmission
{
    /// <summary>
    /// Mutates and validates <paramref name="obj"/>. Called under the cluster's lock; it may read
    /// <paramref name="cluster"/> (the lock is re-entrant) but must not write to it.
    /// </summary>
    /// <param name="cluster">The cluster the object is written to.</param>
    /// <param name="obj">The object as the client sent it; not to be changed in place (it may be the caller's).</param>
    /// <param name="old">The stored object on update, null on create.</param>
    /// <returns><paramref name="obj"/>, or a changed copy to store instead.</returns>
    /// <exception cref="ClusterException">The object is rejected (reason <see cref="ClusterErrorReason.Invalid"/>).</exception>
    IKubernetesObject<V1ObjectMeta> Admit(EmbeddedCluster cluster, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old);
}
