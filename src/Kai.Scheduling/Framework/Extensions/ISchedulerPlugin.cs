namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// A scheduling plugin. A plugin implements one small interface per extension point it serves; the
/// <see cref="PluginPipeline"/> collects them into one ordered array per extension point at session open.
/// </summary>
/// <remarks>
/// Contract for every extension point: implementations read the session and never change it (state changes
/// go through a <see cref="Statement"/>, made by actions); calls are not made in parallel.
/// </remarks>
public interface ISchedulerPlugin
{
    /// <summary>KAI's plugin name, as in configuration.</summary>
    string Name { get; }
}

/// <summary>Prepares per-session state (e.g. fair shares) before any action runs.</summary>
public interface ISessionOpenPlugin : ISchedulerPlugin
{
    void OnSessionOpen(Session session);
}

/// <summary>Orders pod groups within a leaf queue. First non-zero result among plugins wins.</summary>
public interface IJobOrderPlugin : ISchedulerPlugin
{
    /// <returns>Negative when <paramref name="left"/> should be scheduled first, positive for <paramref name="right"/>, zero when this plugin has no preference.</returns>
    int CompareJobs(Session session, int left, int right);
}

/// <summary>Orders pods within a pod group. First non-zero result wins.</summary>
public interface IPodOrderPlugin : ISchedulerPlugin
{
    int ComparePods(Session session, int left, int right);
}

/// <summary>Orders sibling queues. First non-zero result wins.</summary>
public interface IQueueOrderPlugin : ISchedulerPlugin
{
    int CompareQueues(Session session, in QueueCandidate left, in QueueCandidate right);
}

/// <summary>
/// A queue competing for the next turn: the queue, the best job found down its best-child chain, and, when
/// ordering victims, what the victims already taken from it (plus its next one) hold.
/// </summary>
public readonly record struct QueueCandidate(int Queue, int BestJob, Resources.ResourceVector? TakenVictims = null);
