using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Builds a <see cref="PluginRegistry"/>: each plugin under one name, with the binder that reads its options from
/// its arguments and the factory that creates its instances for a session. A name may be registered once.
/// </summary>
/// <example><code>
/// var registry = PluginRegistry.CreateBuilder()
///     .AddKaiPlugins()
///     .AddPlugin&lt;ZonePreferencePlugin, ZonePreferenceOptions&gt;("zonepreference", ZonePreferenceOptions.Bind, (options, _) =&gt; new ZonePreferencePlugin(options))
///     .Build();
/// </code></example>
public sealed class PluginRegistryBuilder
{
    private readonly Dictionary<string, PluginRegistration> _plugins = new(StringComparer.Ordinal);
    private List<string> _defaults = [];

    internal PluginRegistryBuilder()
    {
    }

    /// <summary>Registers a plugin with options.</summary>
    /// <param name="name">The name configurations use.</param>
    /// <param name="bind">Reads the options from the plugin's arguments (starting from the options' defaults).</param>
    /// <param name="create">Creates the plugin for one session (a fresh instance every cycle).</param>
    public PluginRegistryBuilder AddPlugin<TPlugin, TOptions>(string name, PluginBinder<TOptions> bind, Func<TOptions, PluginContext, TPlugin> create)
        where TPlugin : ISchedulerPlugin
        where TOptions : IPluginOptions
    {
        ArgumentNullException.ThrowIfNull(create);
        return AddPluginSet(name, bind, (options, context) => [create(options, context)]);
    }

    /// <summary>Registers a plugin that takes no arguments.</summary>
    public PluginRegistryBuilder AddPlugin<TPlugin>(string name, Func<PluginContext, TPlugin> create)
        where TPlugin : ISchedulerPlugin
    {
        ArgumentNullException.ThrowIfNull(create);
        return AddPlugin<TPlugin, NoOptions>(name, NoOptions.Bind, (_, context) => create(context));
    }

    /// <summary>Registers a plugin made of several parts under one name (e.g. KAI's <c>predicates</c>: one part per predicate).</summary>
    public PluginRegistryBuilder AddPluginSet<TOptions>(string name, PluginBinder<TOptions> bind, Func<TOptions, PluginContext, IEnumerable<ISchedulerPlugin>> create)
        where TOptions : IPluginOptions
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(create);
        return Add(new PluginRegistration(name, typeof(TOptions), binding => bind(binding), (options, context) => create((TOptions)options, context)));
    }

    /// <summary>
    /// Accepts a name so that existing configurations load, although no plugin stands behind it. Listing it in a
    /// configuration gives a warning that says so: "plugin 'x' " followed by <paramref name="note"/>.
    /// </summary>
    public PluginRegistryBuilder AddCompatibilityName(string name, string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        return Add(new PluginRegistration(name, typeof(NoOptions), _ => NoOptions.Instance, (_, _) => [], note));
    }

    /// <summary>The plugins a configuration without a plugin list runs, in order; each must be registered by <see cref="Build"/>.</summary>
    public PluginRegistryBuilder UseDefaultPlugins(params IEnumerable<string> names)
    {
        _defaults = [.. names];
        return this;
    }

    public PluginRegistry Build()
    {
        if (_defaults.FirstOrDefault(n => !_plugins.ContainsKey(n)) is { } missing)
        {
            throw new InvalidOperationException($"Default plugin '{missing}' is not registered.");
        }

        return new PluginRegistry(new Dictionary<string, PluginRegistration>(_plugins, StringComparer.Ordinal), _defaults);
    }

    private PluginRegistryBuilder Add(PluginRegistration registration)
    {
        if (string.IsNullOrWhiteSpace(registration.Name))
        {
            throw new InvalidOperationException("A plugin needs a name.");
        }

        if (!_plugins.TryAdd(registration.Name, registration))
        {
            throw new InvalidOperationException($"Plugin '{registration.Name}' is already registered; each name may be registered once.");
        }

        return this;
    }
}
