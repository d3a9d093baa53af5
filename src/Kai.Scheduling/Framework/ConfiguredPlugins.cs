using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The enabled plugins of one configuration with their bound options, and what binding found wrong (errors)
/// or worth saying (warnings). Creates fresh plugin instances for each session.
/// </summary>
public sealed class ConfiguredPlugins
{
    private readonly List<(PluginRegistration Registration, IPluginOptions Options)> _plugins;
    private readonly PluginContext _context;

    internal ConfiguredPlugins(
        SchedulerConfiguration configuration,
        List<(PluginRegistration Registration, IPluginOptions Options)> plugins,
        IReadOnlyList<ConfigurationMessage> errors,
        IReadOnlyList<ConfigurationMessage> warnings)
    {
        _plugins = plugins;
        _context = new PluginContext(configuration);
        Errors = errors;
        Warnings = warnings;
    }

    public IReadOnlyList<ConfigurationMessage> Errors { get; }

    public IReadOnlyList<ConfigurationMessage> Warnings { get; }

    /// <summary>The enabled plugins' names, in configuration order.</summary>
    public IEnumerable<string> Names => _plugins.Select(p => p.Registration.Name);

    /// <summary>The bound options of an enabled plugin (the first, if it is listed twice).</summary>
    public TOptions Options<TOptions>(string plugin)
        where TOptions : IPluginOptions =>
        (TOptions)_plugins.First(p => p.Registration.Name == plugin).Options;

    internal PluginPipeline CreatePipeline()
    {
        var plugins = new List<ISchedulerPlugin>(_plugins.Count);
        foreach (var (registration, options) in _plugins)
        {
            plugins.AddRange(registration.Create(options, _context));
        }

        return new PluginPipeline(plugins);
    }
}
