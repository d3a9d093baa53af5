using System.Collections.Frozen;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The plugins a scheduler can run, by name: a value built once at start-up with a
/// <see cref="PluginRegistryBuilder"/> (nothing is registered globally; order comes from configuration). The
/// names a configuration may use are exactly the registered ones, so a host that registers its own plugin can
/// switch it on in a configuration file.
/// </summary>
public sealed class PluginRegistry
{
    private readonly FrozenDictionary<string, PluginRegistration> _plugins;

    internal PluginRegistry(Dictionary<string, PluginRegistration> plugins, IReadOnlyList<string> defaultPlugins)
    {
        _plugins = plugins.ToFrozenDictionary(StringComparer.Ordinal);
        DefaultPlugins = defaultPlugins;
        Names = [.. plugins.Keys.Order(StringComparer.Ordinal)];
    }

    public static PluginRegistryBuilder CreateBuilder() => new();

    /// <summary>The plugins enabled when a configuration lists none.</summary>
    public IReadOnlyList<string> DefaultPlugins { get; }

    /// <summary>Every registered name, in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => _plugins.ContainsKey(name);

    /// <summary>
    /// Binds and validates every enabled plugin's options. Errors name the plugin or argument, where it was
    /// written and what would be right; warnings say what a listed plugin or argument will not do.
    /// </summary>
    public ConfiguredPlugins Configure(SchedulerConfiguration configuration)
    {
        var errors = new List<ConfigurationMessage>();
        var warnings = new List<ConfigurationMessage>();
        var bound = new List<(PluginRegistration Registration, IPluginOptions Options)>();
        var listed = configuration.Plugins is not null;
        foreach (var entry in configuration.Plugins ?? [.. DefaultPlugins.Select(n => new PluginEntry(n))])
        {
            if (!_plugins.TryGetValue(entry.Name, out var registration))
            {
                errors.Add(new(entry.Source, $"unknown plugin '{entry.Name}'; known plugins: {string.Join(", ", Names)}."));
                continue;
            }

            if (registration.CompatibilityNote is { } note)
            {
                // Only what someone asked for is worth a warning; the default list is not their choice.
                if (listed)
                {
                    warnings.Add(new(entry.Source, $"plugin '{entry.Name}' {note}"));
                }

                continue;
            }

            var options = OptionsFor(entry, registration, configuration, errors, warnings);
            if (options is null)
            {
                continue;
            }

            foreach (var problem in options.Validate())
            {
                errors.Add(new(entry.Source, problem));
            }

            bound.Add((registration, options));
        }

        foreach (var name in configuration.PluginOptions.Keys.Where(n => !_plugins.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            errors.Add(new(null, $"options are given for plugin '{name}', which is not registered; known plugins: {string.Join(", ", Names)}."));
        }

        return new ConfiguredPlugins(configuration, bound, errors, warnings);
    }

    private static IPluginOptions? OptionsFor(PluginEntry entry, PluginRegistration registration, SchedulerConfiguration configuration, List<ConfigurationMessage> errors, List<ConfigurationMessage> warnings)
    {
        if (!configuration.PluginOptions.TryGetValue(entry.Name, out var typed))
        {
            return registration.Bind(new PluginBinding(entry.Name, entry.Arguments, configuration, errors, warnings));
        }

        if (!registration.OptionsType.IsInstanceOfType(typed))
        {
            errors.Add(new(entry.Source, $"options of plugin '{entry.Name}' must be {registration.OptionsType.Name}, not {typed.GetType().Name}."));
            return null;
        }

        return typed;
    }
}

/// <summary>How one registered name becomes options and plugin instances.</summary>
internal sealed class PluginRegistration(
    string name,
    Type optionsType,
    Func<PluginBinding, IPluginOptions> bind,
    Func<IPluginOptions, PluginContext, IEnumerable<ISchedulerPlugin>> create,
    string? compatibilityNote = null)
{
    public string Name { get; } = name;

    public Type OptionsType { get; } = optionsType;

    /// <summary>For a name accepted only so existing configurations load: what listing it does (and does not do).</summary>
    public string? CompatibilityNote { get; } = compatibilityNote;

    public IPluginOptions Bind(PluginBinding binding) => bind(binding);

    public IEnumerable<ISchedulerPlugin> Create(IPluginOptions options, PluginContext context) => create(options, context);
}
