using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's preempt: inside one queue, a pending pod group evicts preemptible pod groups of strictly lower
/// priority. A non-preemptible preemptor must still fit its queue's quota.
/// </summary>
internal sealed partial class PreemptAction : DisruptiveAction
{
    // Counted once per action run, on first use (a fresh action runs each cycle).
    private int[]? _activeByQueue;
    private int _activeTotal;

    public override ActionKind Kind => ActionKind.Preempt;

    protected override PluginStatus CheckPreemptor(Session session, int group)
    {
        if (session.IsPreemptible(group) || session.Plugins.Capacity is not { } capacity)
        {
            return PluginStatus.Success;
        }

        // Evicting queue-mates can lift a limit, never a quota that non-preemptible pods already fill.
        var status = capacity.CheckJob(session, group, session.Quantum.InitRequest(group));
        return status.Code == PluginStatusCode.UnschedulableAndUnresolvable ? status : PluginStatus.Success;
    }

    protected override int SkipScope(Session session, int group) => session.Snapshot.QueueOf(group);

    /// <summary>Only groups of the preemptor's own queue can be victims: no need to look at the others.</summary>
    protected override bool VictimsOnlyInOwnQueue => true;

    protected override (string Reason, int Count) OutOfScope(Session session, int preemptor) =>
        ("in other queues", ActiveGroupsIn(session, -1) - ActiveGroupsIn(session, session.Snapshot.QueueOf(preemptor)));

    /// <summary>How many pod groups of a leaf queue (or, for -1, of all leaf queues) have active pods.</summary>
    private int ActiveGroupsIn(Session session, int queue)
    {
        if (_activeByQueue is null)
        {
            _activeByQueue = new int[session.Snapshot.Queues.Count];
            for (var g = 0; g < session.Snapshot.Groups.Count; g++)
            {
                var leaf = session.Snapshot.QueueOf(g);
                if (leaf >= 0 && session.Gangs.ActiveAllocated(g) > 0)
                {
                    _activeByQueue[leaf]++;
                    _activeTotal++;
                }
            }
        }

        return queue < 0 ? _activeTotal : _activeByQueue[queue];
    }

    protected override PluginStatus CheckVictim(Session session, int preemptor, int victim)
    {
        var snapshot = session.Snapshot;
        if (snapshot.QueueOf(victim) != snapshot.QueueOf(preemptor))
        {
            return Rejected("in other queues");
        }

        if (!session.IsPreemptible(victim))
        {
            return Rejected(NonPreemptible);
        }

        return snapshot.Groups[victim].Priority < snapshot.Groups[preemptor].Priority ? PluginStatus.Success : Rejected(EqualOrHigherPriority);
    }

    /// <summary>
    /// Whether a preemptor whose queue holds no group preempt's own rule lets be a victim, and whose first pod could not fit
    /// with nothing evicted, is failed without its search (which would walk every group of the queue, turn each down, and
    /// take no try: <c>PreemptAction.OwnQueueVictims.cs</c>); off only in tests that compare.
    /// </summary>
    internal bool FailsWithoutVictimsBeforeSearch { get; init; } = true;

    /// <summary>Searches failed before they started (for tests and measurements).</summary>
    internal int FailuresKnownBeforeSearch { get; private set; }

    protected override string? FailureKnownBeforeSearch(ActionContext context, int preemptor, VictimEligibility eligibility)
    {
        var session = context.Session;
        var leaf = session.Snapshot.QueueOf(preemptor);
        if (!FailsWithoutVictimsBeforeSearch || leaf < 0)
        {
            return null;
        }

        var catalog = context.Victims;
        if (!NoneMayBeVictims(session, catalog, preemptor, leaf, out var nonPreemptible, out var equalOrHigher)
            || (catalog.InLeaf(leaf).Count > 0 && !QueuePathMayGive(session, preemptor, leaf))
            || FirstPodCouldFitAsItStands(session, preemptor))
        {
            return null;
        }

        eligibility.CountRejected(NonPreemptible, nonPreemptible);
        eligibility.CountRejected(EqualOrHigherPriority, equalOrHigher);
        FailuresKnownBeforeSearch++;
        return EvictionSolver.NothingToFree;
    }

    /// <summary>Whether the queue filters let every queue from the top down to the leaf give victims, as the walk asks them before its groups.</summary>
    private bool QueuePathMayGive(Session session, int preemptor, int leaf)
    {
        foreach (var queue in session.Snapshot.QueueAndAncestors(leaf))
        {
            if (!FilterVictimQueue(session, preemptor, queue).IsSuccess)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the search's first try, its first pod with nothing evicted, would be simulated: the room estimate it asks
    /// first (no pods to place is the search's own failure: it is left to it).
    /// </summary>
    private static bool FirstPodCouldFitAsItStands(Session session, int preemptor)
    {
        var pods = session.Quantum.PodsToAllocate(preemptor);
        return pods.Length == 0 || new RoomEstimate(session, pods[..1], session.RequestOf(pods[0])) { SessionUnchangedBetweenChecks = true }.CouldFit();
    }
}
