using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// The current objects of one kind. A plain dictionary: iteration follows its entry array, which depends only
/// on the sequence of writes, so listing order is deterministic for a given history.
/// </summary>
internal sealed class KindStore(KindInfo kind)
{
    public KindInfo Kind { get; } = kind;

    public Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>> Objects { get; } = [];
}
