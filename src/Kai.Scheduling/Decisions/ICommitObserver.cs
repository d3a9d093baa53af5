namespace Kai.Scheduling.Decisions;

/// <summary>
/// Told of each committed statement's decisions as the statement commits, in commit order, on the engine's thread.
/// A committed decision is final (the session only adds to its list), so an edge may act on it while the cycle goes
/// on: the scheduler writes bind requests on the second core while allocate decides (KAI, too, binds at commit).
/// </summary>
public interface ICommitObserver
{
    /// <summary>One statement's decisions (a list the caller keeps; copy what you hold on to).</summary>
    void OnCommitted(IReadOnlyList<SchedulingDecision> decisions);
}
