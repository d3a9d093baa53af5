using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's reclaim: a queue below its fair share takes resources back from queues above theirs, by evicting
/// preemptible pods of other queues, never comparing priorities. The proportion plugin decides who may reclaim
/// and which victim sets keep every queue's fair share (or deserved quota) and the queues' relative order.
/// </summary>
internal sealed class ReclaimAction : DisruptiveAction
{
    public override ActionKind Kind => ActionKind.Reclaim;

    protected override PluginStatus CheckPreemptor(Session session, int group) =>
        session.Plugins.ReclaimGate is { } gate ? gate.CheckReclaimer(session, group) : Rejected("reclaim needs the proportion plugin");

    protected override int SkipScope(Session session, int group) => session.Snapshot.QueueOf(group);

    protected override PluginStatus CheckVictim(Session session, int preemptor, int victim)
    {
        if (session.Snapshot.QueueOf(victim) == session.Snapshot.QueueOf(preemptor))
        {
            return Rejected("in the same queue");
        }

        return session.IsPreemptible(victim) ? PluginStatus.Success : Rejected("non-preemptible");
    }
}
