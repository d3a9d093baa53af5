namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// A scheduling plugin. A plugin implements one interface per extension point it serves; at session open the
/// framework builds one ordered array per extension point from the enabled plugins (see docs/architecture.md for
/// the table of extension points and their contracts).
/// </summary>
/// <remarks>
/// Common contract: a plugin instance lives for one session (the registry creates fresh instances every cycle, so
/// per-session caches are allowed). It reads the session through <see cref="ISessionView"/> and never changes it;
/// state changes go through a <see cref="Statement"/>, which only actions open. Unless an extension point says
/// otherwise, calls come from one thread, one at a time.
/// </remarks>
public interface ISchedulerPlugin
{
    /// <summary>The plugin's name, as in configuration (KAI's name for KAI's plugins).</summary>
    string Name { get; }
}
