using System.Globalization;
using Kai.Cluster.Crds;
using Kai.Scheduling.Configuration;
using YamlDotNet.RepresentationModel;

namespace Kai.Controllers.Configuration;

/// <summary>
/// Turns a configuration document into a <see cref="SchedulerConfiguration"/>: the scheduler-wide settings typed
/// and checked here, each plugin's arguments kept as written (with their lines) for the plugin to bind.
/// </summary>
internal sealed class SchedulerConfigurationReader(string fileName, List<ConfigurationMessage> errors)
{
    private static readonly string[] TopLevelKeys =
    [
        "actions", "tiers", "queueDepthPerAction", "placementStrategy", "maxConsolidationPreemptees",
        "defaultStalenessGracePeriod", "allowConsolidatingReclaim", "useSchedulingSignatures",
        "cycleGcBudgetMiB",
    ];

    public SchedulerConfiguration Read(YamlMappingNode root)
    {
        var configuration = SchedulerConfiguration.Default;
        foreach (var (keyNode, value) in root.Children)
        {
            configuration = ReadSetting(configuration, ((YamlScalarNode)keyNode).Value ?? string.Empty, keyNode, value);
        }

        // As KAI's operator does: spreading either resource in placementStrategy turns consolidation off. Applied once
        // all keys are read, so an actions list written after placementStrategy does not bring it back.
        if (configuration.GpuPlacementStrategy == PlacementStrategy.Spread || configuration.CpuPlacementStrategy == PlacementStrategy.Spread)
        {
            configuration = configuration with { Actions = [.. configuration.Actions.Where(a => a != ActionKind.Consolidation)] };
        }

        return configuration;
    }

    private SchedulerConfiguration ReadSetting(SchedulerConfiguration configuration, string key, YamlNode keyNode, YamlNode value) => key switch
    {
        "actions" => configuration with { Actions = Actions(value) },
        "tiers" => configuration with { Plugins = Tiers(value) },
        "queueDepthPerAction" => configuration with { QueueDepthPerAction = QueueDepths(value) },
        "placementStrategy" => PlacementStrategies(value, configuration),
        "maxConsolidationPreemptees" => configuration with { MaxConsolidationPreemptees = Integer(value, key) ?? configuration.MaxConsolidationPreemptees },
        "defaultStalenessGracePeriod" => configuration with { StalenessGracePeriod = Duration(value, key) ?? configuration.StalenessGracePeriod },
        "allowConsolidatingReclaim" => configuration with { AllowConsolidatingReclaim = Boolean(value, key) ?? configuration.AllowConsolidatingReclaim },
        "useSchedulingSignatures" => configuration with { UseSchedulingSignatures = Boolean(value, key) ?? configuration.UseSchedulingSignatures },
        "cycleGcBudgetMiB" => configuration with { CycleGcBudgetMiB = Integer(value, key) ?? configuration.CycleGcBudgetMiB },
        _ => Unknown(configuration, keyNode, key),
    };

    private SchedulerConfiguration Unknown(SchedulerConfiguration configuration, YamlNode keyNode, string key)
    {
        Error(keyNode, $"unknown setting '{key}'; known settings: {string.Join(", ", TopLevelKeys)}.");
        return configuration;
    }

    private void Error(YamlNode node, string message) => errors.Add(new ConfigurationMessage(SourceOf(node), message));

    private string SourceOf(YamlNode node) => $"{fileName}:{node.Start.Line}";

    private List<ActionKind> Actions(YamlNode node)
    {
        IEnumerable<(YamlNode Node, string Name)> names = node switch
        {
            YamlScalarNode scalar => (scalar.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => ((YamlNode)scalar, n)),
            YamlSequenceNode sequence => sequence.Children.Select(c => (c, (c as YamlScalarNode)?.Value ?? string.Empty)),
            _ => [],
        };
        var actions = new List<ActionKind>();
        foreach (var (at, name) in names)
        {
            if (ActionNames.TryParse(name, out var action))
            {
                actions.Add(action);
            }
            else
            {
                Error(at, $"actions: unknown action '{name}'; actions are {ActionNames.All}.");
            }
        }

        return actions;
    }

    /// <summary>KAI's tiers, flattened into one plugin list in order.</summary>
    private List<PluginEntry> Tiers(YamlNode node)
    {
        var plugins = new List<PluginEntry>();
        if (node is not YamlSequenceNode tiers)
        {
            Error(node, "tiers must be a list of {plugins: [{name: ..., arguments: {...}}]}.");
            return plugins;
        }

        foreach (var tier in tiers.Children)
        {
            if (tier is not YamlMappingNode tierMap || !tierMap.Children.TryGetValue(new YamlScalarNode("plugins"), out var list) || list is not YamlSequenceNode pluginList)
            {
                Error(tier, "each tier needs a 'plugins' list.");
                continue;
            }

            foreach (var plugin in pluginList.Children)
            {
                if (Plugin(plugin) is { } entry)
                {
                    plugins.Add(entry);
                }
            }
        }

        return plugins;
    }

    private PluginEntry? Plugin(YamlNode node)
    {
        if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode) || nameNode is not YamlScalarNode { Value: { Length: > 0 } name })
        {
            Error(node, "each plugin needs a 'name'.");
            return null;
        }

        var arguments = map.Children.TryGetValue(new YamlScalarNode("arguments"), out var argumentsNode)
            ? Arguments(name, argumentsNode)
            : PluginArguments.Empty;
        return new PluginEntry(name, arguments, SourceOf(nameNode));
    }

    /// <summary>A plugin's arguments as text, for the plugin to read; only their shape is checked here.</summary>
    private PluginArguments Arguments(string plugin, YamlNode node)
    {
        var arguments = new List<PluginArgument>();
        foreach (var (key, value) in Map(node, $"{plugin}.arguments"))
        {
            if (value is YamlScalarNode scalar)
            {
                arguments.Add(new PluginArgument(key, string.IsNullOrEmpty(scalar.Value) ? null : scalar.Value, SourceOf(value)));
            }
            else
            {
                Error(value, $"{plugin}.arguments.{key} must be a single value (a word or a number), not a list or mapping.");
            }
        }

        return new PluginArguments(arguments, KaiArgumentSyntax.Instance);
    }

    private Dictionary<ActionKind, int> QueueDepths(YamlNode node)
    {
        var depths = new Dictionary<ActionKind, int>();
        foreach (var (key, value) in Map(node, "queueDepthPerAction"))
        {
            if (ActionNames.TryParse(key, out var action))
            {
                depths[action] = Integer(value, $"queueDepthPerAction.{key}") ?? 0;
            }
            else
            {
                Error(value, $"queueDepthPerAction: unknown action '{key}'; actions are {ActionNames.All}.");
            }
        }

        return depths;
    }

    /// <summary>The shard-level placement strategy (KAI's SchedulingShard <c>placementStrategy</c>).</summary>
    private SchedulerConfiguration PlacementStrategies(YamlNode node, SchedulerConfiguration configuration)
    {
        foreach (var (key, value) in Map(node, "placementStrategy"))
        {
            var strategy = Strategy(value, $"placementStrategy.{key}");
            configuration = key switch
            {
                "gpu" => configuration with { GpuPlacementStrategy = strategy },
                "cpu" => configuration with { CpuPlacementStrategy = strategy },
                _ => configuration,
            };
            if (key is not ("gpu" or "cpu"))
            {
                Error(value, $"placementStrategy: unknown resource '{key}'; use gpu and cpu.");
            }
        }

        return configuration;
    }

    private PlacementStrategy Strategy(YamlNode node, string setting)
    {
        var text = (node as YamlScalarNode)?.Value;
        if (string.Equals(text, "spread", StringComparison.OrdinalIgnoreCase))
        {
            return PlacementStrategy.Spread;
        }

        if (!string.Equals(text, "binpack", StringComparison.OrdinalIgnoreCase))
        {
            Error(node, $"{setting} must be binpack or spread.");
        }

        return PlacementStrategy.Binpack;
    }

    private int? Integer(YamlNode node, string setting)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, $"{setting} must be a whole number.");
        return null;
    }

    private bool? Boolean(YamlNode node, string setting)
    {
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(node, $"{setting} must be true or false.");
        return null;
    }

    /// <summary>A Go duration; negative values are allowed (the staleness grace period uses them for "never").</summary>
    private TimeSpan? Duration(YamlNode node, string setting)
    {
        if (node is YamlScalarNode { Value: { } text } && GoDuration.TryParse(text, out var duration, out _))
        {
            return duration.ToTimeSpan();
        }

        Error(node, $"{setting} must be a duration such as 30s, 5m or 1h30m (negative = never).");
        return null;
    }

    private IEnumerable<(string Key, YamlNode Value)> Map(YamlNode node, string setting)
    {
        if (node is not YamlMappingNode mapping)
        {
            if (node is not YamlScalarNode { Value: null or "" })
            {
                Error(node, $"{setting} must be a mapping of key: value.");
            }

            yield break;
        }

        foreach (var (key, value) in mapping.Children)
        {
            yield return (((YamlScalarNode)key).Value ?? string.Empty, value);
        }
    }
}
