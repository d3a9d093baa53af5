namespace Kai.Scheduling.Configuration;

/// <summary>One enabled plugin as configured: its name, its arguments as written, and where it was written.</summary>
/// <param name="Name">The plugin's registered name.</param>
/// <param name="Arguments">Its arguments, bound by the plugin when the registry configures it.</param>
/// <param name="Source">Where it was written (e.g. <c>scheduler.yaml:12</c>), for messages; null when configured in code.</param>
public sealed record PluginEntry(string Name, PluginArguments Arguments, string? Source = null)
{
    public PluginEntry(string name)
        : this(name, PluginArguments.Empty)
    {
    }
}
