using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// One write as seen by a change feed. <see cref="Object"/> is the object after the write (for
/// <see cref="ChangeType.Deleted"/>, its final state); <see cref="ResourceVersion"/> equals its
/// <c>metadata.resourceVersion</c>. The object is shared: consumers must not mutate it.
/// </summary>
public readonly record struct ClusterChange(
    ChangeType Type,
    KindKey Kind,
    IKubernetesObject<V1ObjectMeta> Object,
    string ResourceVersion);
