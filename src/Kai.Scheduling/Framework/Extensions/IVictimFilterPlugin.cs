using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Decides whether a running pod group may be a victim for a preemptor. All filters must pass.</summary>
/// <remarks>
/// Contract: reads the session as it is before the search (no scenario applied); idempotent, no side effects;
/// called from one thread. Asked at most once per victim group and preemptor, only for the groups the search
/// reaches (the answer is remembered). Rejections are counted by
/// reason in the preemptor's explanation, so give one text for one cause.
/// </remarks>
public interface IVictimFilterPlugin : ISchedulerPlugin
{
    PluginStatus FilterVictim(ISessionView session, ActionKind action, int preemptor, int victimGroup);
}
