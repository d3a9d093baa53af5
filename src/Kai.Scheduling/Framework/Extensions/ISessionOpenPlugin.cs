namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Prepares per-session state before any action runs (KAI's OnSessionOpen).</summary>
/// <remarks>
/// Contract: called once per session (on one thread), in plugin order, before any other extension point of the
/// session; it must give the same result for the same snapshot. It may read everything of the session and publish what the framework keeps for later readers through
/// the <see cref="SessionSetup"/> (e.g. fair shares); that is its only way to change the session.
/// </remarks>
public interface ISessionOpenPlugin : ISchedulerPlugin
{
    void OnSessionOpen(ISessionView session, SessionSetup setup);
}
