using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Whether a pod group may add an amount to its queue (limits, non-preemptible quota). Only the first enabled capacity plugin is asked (as in KAI).</summary>
/// <remarks>
/// Contract: reads the queue ledger, the queue tree and the group; idempotent, no side effects; called from one
/// thread, once per placement attempt of a group (and by preempt for a non-preemptible preemptor), also inside
/// the victim search's simulations. Use <see cref="PluginStatusCode.UnschedulableAndUnresolvable"/>
/// when evicting the group's own queue-mates could not help, and set <see cref="PluginStatus.ExplanationReason"/>
/// to the reason name the pod group's explanation should carry. Monotone: what it refuses it must also refuse with
/// more allocated to the queues (and allow with less), because the victim search fails a try the capacity refuses
/// with the try's victims gone without simulating it (<c>EvictionSolver.ProvesCapacityRefusals</c>).
/// </remarks>
public interface ICapacityPlugin : ISchedulerPlugin
{
    PluginStatus CheckJob(ISessionView session, int group, in ResourceVector request);
}
