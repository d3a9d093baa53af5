using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Rules out a whole queue subtree as a source of victims, before its pod groups are looked at one by one (a
/// faster form of <see cref="IVictimFilterPlugin"/> for rules that depend on the queue, not the group).
/// </summary>
/// <remarks>
/// Contract: as <see cref="IVictimFilterPlugin"/>; asked at most once per queue and preemptor. A rejection must
/// hold for every group below the queue (it is counted once per group there).
/// </remarks>
public interface IVictimQueueFilterPlugin : ISchedulerPlugin
{
    PluginStatus FilterVictimQueue(ISessionView session, ActionKind action, int preemptor, int queue);
}
