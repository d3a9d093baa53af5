using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's preempt: inside one queue, a pending pod group evicts preemptible pod groups of strictly lower
/// priority. A non-preemptible preemptor must still fit its queue's quota.
/// </summary>
internal sealed class PreemptAction : DisruptiveAction
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
            return Rejected("non-preemptible");
        }

        return snapshot.Groups[victim].Priority < snapshot.Groups[preemptor].Priority ? PluginStatus.Success : Rejected("of equal or higher priority");
    }
}
