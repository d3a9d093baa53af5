using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Orders sibling queues: who gets the next turn, and (reversed) who gives up victims first. The first plugin with a preference decides.</summary>
/// <remarks>
/// Contract: compares the two queues' current allocation (queue ledger) with their candidates' next jobs
/// (allocation quantum); idempotent, antisymmetric and transitive at any one moment, no side effects on the
/// session; called from one thread. A job enters only through its quantum's request in queue resources
/// (<see cref="AllocationQuantum.InitRequest"/>'s <see cref="ResourceVector.QueueResources"/>): two jobs asking
/// alike compare alike, which the victim search's simulation order relies on to decide for many waiting jobs at
/// once. It may cache per queue as long as the cache is keyed by <see cref="QueueLedger.Versions"/> and the job's
/// <see cref="GangBook.Version"/> (both change whenever what it reads changes). Of a queue's changing state it reads
/// only the ledger's allocation and fair share: the victim search remembers its answers under each queue's ledger
/// content (<c>Ordering/LedgerStates</c>), not its version, and would reuse a wrong one for a plugin that read more.
/// Ties after every plugin fall to the older queue, then the name.
/// </remarks>
public interface IQueueOrderPlugin : ISchedulerPlugin
{
    /// <returns>Negative when <paramref name="left"/> should be served first, positive for <paramref name="right"/>, zero for no preference.</returns>
    int CompareQueues(ISessionView session, in QueueCandidate left, in QueueCandidate right);
}

/// <summary>
/// A queue competing for the next turn: the queue, the best job found down its best-child chain (-1 when none),
/// and, when ordering victims, what the victims already taken from it (plus its next one) hold.
/// </summary>
public readonly record struct QueueCandidate(int Queue, int BestJob, ResourceVector? TakenVictims = null);
