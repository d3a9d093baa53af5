using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes.Rest;

/// <summary>
/// The object versions this process has already decoded (what its caches observed and its own writes' answers): a
/// write's answer and the watch event of the same version carry the same stored object, so whichever arrives second
/// is taken from here instead of being deserialised again. Objects are never mutated once decoded, so one instance
/// can serve both.
/// </summary>
internal interface IKnownVersions
{
    /// <summary>The decoded object of <paramref name="kind"/> at exactly <paramref name="identity"/>'s resource version, or null.</summary>
    IKubernetesObject<V1ObjectMeta>? Find(KindInfo kind, in ObjectIdentity identity);
}
