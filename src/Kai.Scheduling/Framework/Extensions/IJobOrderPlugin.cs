namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Orders pod groups within a leaf queue. The first plugin with a preference decides.</summary>
/// <remarks>
/// Contract: a pure, idempotent comparison of the two groups' current state (it may read the snapshot and the
/// gang book): antisymmetric and transitive at any one moment, no side effects. Called from one thread, very often
/// (sorted sets re-compare on every push and pop), so it must not allocate. Ties after every plugin fall to the
/// older group, then the name.
/// </remarks>
public interface IJobOrderPlugin : ISchedulerPlugin
{
    /// <returns>Negative when <paramref name="left"/> should be scheduled first, positive for <paramref name="right"/>, zero when this plugin has no preference.</returns>
    int CompareJobs(ISessionView session, int left, int right);
}
