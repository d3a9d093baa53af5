using Kai.Scheduling.Actions;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling;

/// <summary>Everything a cycle decided and learned, as data for the edge to write back and report.</summary>
/// <param name="Decisions">Bind, pipeline and evict decisions in commit order.</param>
/// <param name="Explanations">Why each still-pending pod group is pending.</param>
/// <param name="Queues">Per queue: fair share, allocation and request after the cycle.</param>
/// <param name="StartedGroups">Pod groups that started running this cycle.</param>
/// <param name="StaleSince">Stale-since stamps to write (null clears), by pod group.</param>
/// <param name="StaleGroups">Pod groups evicted for being stale.</param>
/// <param name="Issues">Problems found while linking the snapshot.</param>
public sealed record CycleResult(
    IReadOnlyList<SchedulingDecision> Decisions,
    IReadOnlyList<GroupExplanation> Explanations,
    IReadOnlyList<QueueFigures> Queues,
    IReadOnlyList<PodGroupKey> StartedGroups,
    IReadOnlyDictionary<PodGroupKey, DateTimeOffset?> StaleSince,
    IReadOnlyList<PodGroupKey> StaleGroups,
    IReadOnlyList<SnapshotIssue> Issues)
{
    /// <summary>Each action's counters, in the order the actions ran.</summary>
    public IReadOnlyList<ActionStatistics> ActionStatistics { get; init; } = [];

    internal static CycleResult From(Session session, CycleJournal journal)
    {
        var snapshot = session.Snapshot;
        var queues = new List<QueueFigures>(snapshot.Queues.Count);
        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            var queue = snapshot.Queues[q];
            queues.Add(new QueueFigures(
                queue.Key,
                snapshot.ParentOf(q) is var parent and >= 0 ? snapshot.Queues[parent].Key : null,
                session.Queues.FairShare[q],
                session.Queues.Allocated[q],
                session.Queues.AllocatedNonPreemptible[q],
                session.Queues.Requested[q],
                queue));
        }

        var started = journal.StartedGroups.Order().Select(g => snapshot.Groups[g].Key).ToList();
        var staleSince = journal.StaleSinceUpdates.ToDictionary(p => snapshot.Groups[p.Key].Key, p => p.Value);
        var stale = journal.StaleGroups.Order().Select(g => snapshot.Groups[g].Key).ToList();
        return new CycleResult(session.Decisions.ToList(), session.Explanations.Build(), queues, started, staleSince, stale, snapshot.Issues);
    }
}

/// <summary>A queue's figures after a cycle (CPU millicores, memory bytes, milli-GPU).</summary>
public sealed record QueueFigures(
    QueueKey Queue,
    QueueKey? Parent,
    ResourceVector FairShare,
    ResourceVector Allocated,
    ResourceVector AllocatedNonPreemptible,
    ResourceVector Requested,
    Queue Settings);
