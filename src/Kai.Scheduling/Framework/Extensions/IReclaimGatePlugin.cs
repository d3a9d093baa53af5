namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Whether a pending pod group may reclaim from other queues at all. Only the first enabled gate is asked (as in KAI).</summary>
/// <remarks>Contract: reads the session before the search (queue ledger, fair shares, the group's quantum); idempotent, no side effects; called from one thread, once per candidate group and reclaim run.</remarks>
public interface IReclaimGatePlugin : ISchedulerPlugin
{
    PluginStatus CheckReclaimer(ISessionView session, int group);
}
