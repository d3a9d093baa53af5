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
/// <param name="SameUntil">Until when the same snapshot would give the same result: the earliest deadline a
/// time-based rule compared the cycle's time with, <see cref="DateTimeOffset.MaxValue"/> when the result does not
/// depend on the time, null when it depends on it in a way the engine cannot bound. A host may skip a cycle in
/// which nothing changed, before this instant, when the previous one decided and wrote nothing.</param>
public sealed record CycleResult(
    IReadOnlyList<SchedulingDecision> Decisions,
    IReadOnlyList<GroupExplanation> Explanations,
    IReadOnlyList<QueueFigures> Queues,
    IReadOnlyList<PodGroupKey> StartedGroups,
    IReadOnlyDictionary<PodGroupKey, DateTimeOffset?> StaleSince,
    IReadOnlyList<PodGroupKey> StaleGroups,
    IReadOnlyList<SnapshotIssue> Issues,
    DateTimeOffset? SameUntil = null)
{
    /// <summary>Each action's counters, in the order the actions ran.</summary>
    public IReadOnlyList<ActionStatistics> ActionStatistics { get; init; } = [];

    /// <summary>Whether the cycle asked nothing of the cluster: no decision, no start or stale stamp, no stale eviction.</summary>
    public bool ChangesNothing => Decisions.Count == 0 && StartedGroups.Count == 0 && StaleSince.Count == 0 && StaleGroups.Count == 0;

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
        return new CycleResult(session.Decisions.ToList(), session.Explanations.Build(), queues, started, staleSince, stale, snapshot.Issues, session.SameUntil);
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
