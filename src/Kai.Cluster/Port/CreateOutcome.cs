using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>What became of one object of <see cref="ICluster.CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/>: the stored object, or why the cluster refused it.</summary>
/// <typeparam name="T">The object's type.</typeparam>
public readonly record struct CreateOutcome<T>(T? Created, ClusterException? Error)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Whether the object was stored.</summary>
    public bool Succeeded => Error is null;
}
