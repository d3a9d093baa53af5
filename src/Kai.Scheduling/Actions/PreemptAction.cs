using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's preempt: inside one queue, a pending pod group evicts preemptible pod groups of strictly lower
/// priority. A non-preemptible preemptor must still fit its queue's quota.
/// </summary>
internal sealed class PreemptAction : DisruptiveAction
{
    public override ActionKind Kind => ActionKind.Preempt;

    protected override string? RejectPreemptor(Session session, int group)
    {
        if (session.IsPreemptible(group) || session.Plugins.Capacity is not { } capacity)
        {
            return null;
        }

        var verdict = capacity.CheckJob(session, group, session.Quantum.InitRequest(group));
        return verdict.Allowed || verdict.Reason != "NonPreemptibleOverQuota" ? null : verdict.Message;
    }

    protected override int SkipScope(Session session, int group) => session.Snapshot.QueueOf(group);

    /// <summary>Only groups of the preemptor's own queue can be victims: no need to look at the others.</summary>
    protected override bool VictimsOnlyInOwnQueue => true;

    protected override (string Reason, int Count) OutOfScope(Session session, int preemptor) =>
        ("in other queues", ActiveGroupsIn(session, -1) - ActiveGroupsIn(session, session.Snapshot.QueueOf(preemptor)));

    protected override string? RejectVictim(Session session, int preemptor, int victim)
    {
        var snapshot = session.Snapshot;
        if (snapshot.QueueOf(victim) != snapshot.QueueOf(preemptor))
        {
            return "in other queues";
        }

        if (!session.IsPreemptible(victim))
        {
            return "non-preemptible";
        }

        return snapshot.Groups[victim].Priority < snapshot.Groups[preemptor].Priority ? null : "of equal or higher priority";
    }
}
