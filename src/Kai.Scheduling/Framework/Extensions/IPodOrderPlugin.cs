namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Orders the pods of one pod group (placement order; reversed, eviction order). The first plugin with a preference decides.</summary>
/// <remarks>
/// Contract: a pure, idempotent comparison of the two pods' definitions in the snapshot (labels, role, their
/// group's definition), no side effects; called from one thread. It must not read what changes within a session
/// (pod statuses, nodes, queue books): a session sorts each pod set once and keeps that order
/// (<see cref="AllocationQuantum"/>). Ties after every plugin fall to the older pod, then the uid.
/// </remarks>
public interface IPodOrderPlugin : ISchedulerPlugin
{
    /// <returns>Negative when <paramref name="left"/> should be placed first, positive for <paramref name="right"/>, zero for no preference.</returns>
    int ComparePods(ISessionView session, int left, int right);
}
