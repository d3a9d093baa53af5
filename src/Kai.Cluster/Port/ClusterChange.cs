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
    string ResourceVersion)
{
    /// <summary>
    /// The object as it was before this write, for <see cref="ChangeType.Modified"/> and
    /// <see cref="ChangeType.Deleted"/> changes when the backend records it (the embedded cluster does when
    /// <c>RecordPreviousVersions</c> is on); null for <see cref="ChangeType.Added"/>, for the synthetic Added changes
    /// that start a feed, and when not recorded. A watch with a selector needs it to tell an object leaving the
    /// selection (DELETED) from one that was never in it.
    /// </summary>
    public IKubernetesObject<V1ObjectMeta>? Previous { get; init; }
}
