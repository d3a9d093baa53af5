using System.Globalization;
using Kai.Cluster.Crds;
using Kai.Scheduling.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Controllers.Configuration;

/// <summary>
/// Reads a scheduler configuration file: KAI's scheduler config (<c>actions</c>, <c>tiers[].plugins[]</c> with
/// <c>arguments</c>, <c>queueDepthPerAction</c>) plus the scheduler flags that shape policy, all validated with
/// messages that name the setting and say what would be right. See docs/configuration.md.
/// </summary>
public static class SchedulerConfigurationFile
{
    private static readonly string[] TopLevelKeys =
    [
        "actions", "tiers", "queueDepthPerAction", "placementStrategy", "maxConsolidationPreemptees",
        "defaultStalenessGracePeriod", "allowConsolidatingReclaim", "useSchedulingSignatures",
    ];

    /// <summary>Reads and validates; on any error returns null and the errors.</summary>
    public static SchedulerConfiguration? Load(string path, out IReadOnlyList<string> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            errors = [$"{path}: cannot read the configuration file: {e.Message}"];
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            errors = [$"{path}: cannot read the configuration file: {e.Message}"];
            return null;
        }

        return Parse(text, path, out errors);
    }

    public static SchedulerConfiguration? Parse(string text, string fileName, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        errors = problems;
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return SchedulerConfiguration.Default;
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                problems.Add($"{fileName}: the configuration must be a YAML mapping (keys such as actions, tiers).");
                return null;
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            problems.Add($"{fileName}:{e.Start.Line}: YAML syntax error: {e.Message}");
            return null;
        }

        var configuration = SchedulerConfiguration.Default;
        var context = new Reader(fileName, problems);
        var spreadAsked = false;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            switch (key)
            {
                case "actions":
                    configuration = configuration with { Actions = context.Actions(value) };
                    break;
                case "tiers":
                    configuration = context.Tiers(value, configuration);
                    break;
                case "queueDepthPerAction":
                    configuration = configuration with { QueueDepthPerAction = context.QueueDepths(value) };
                    break;
                case "placementStrategy":
                    configuration = context.PlacementStrategy(value, configuration, out var spread);
                    spreadAsked |= spread;
                    break;
                case "maxConsolidationPreemptees":
                    configuration = configuration with { MaxConsolidationPreemptees = context.Integer(value, key, 16) };
                    break;
                case "defaultStalenessGracePeriod":
                    configuration = configuration with { StalenessGracePeriod = context.Duration(value, key, allowNegative: true) ?? configuration.StalenessGracePeriod };
                    break;
                case "allowConsolidatingReclaim":
                    configuration = configuration with { AllowConsolidatingReclaim = context.Boolean(value, key, true) };
                    break;
                case "useSchedulingSignatures":
                    configuration = configuration with { UseSchedulingSignatures = context.Boolean(value, key, true) };
                    break;
                default:
                    context.Error(keyNode, $"unknown setting '{key}'; known settings: {string.Join(", ", TopLevelKeys)}.");
                    break;
            }
        }

        // As KAI's operator does: spreading either resource in placementStrategy turns consolidation off. Applied once
        // all keys are read, so an actions list written after placementStrategy does not bring it back.
        if (spreadAsked)
        {
            configuration = configuration with { Actions = configuration.Actions.Where(a => a != ActionKind.Consolidation).ToList() };
        }

        problems.AddRange(configuration.Validate().Select(e => $"{fileName}: {e}"));
        return problems.Count == 0 ? configuration : null;
    }

    private sealed class Reader(string fileName, List<string> problems)
    {
        public void Error(YamlNode node, string message) => problems.Add($"{fileName}:{node.Start.Line}: {message}");

        public List<ActionKind> Actions(YamlNode node)
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

        public SchedulerConfiguration Tiers(YamlNode node, SchedulerConfiguration configuration)
        {
            if (node is not YamlSequenceNode tiers)
            {
                Error(node, "tiers must be a list of {plugins: [{name: ..., arguments: {...}}]}.");
                return configuration;
            }

            var plugins = new List<string>();
            foreach (var tier in tiers.Children)
            {
                if (tier is not YamlMappingNode tierMap || !tierMap.Children.TryGetValue(new YamlScalarNode("plugins"), out var list) || list is not YamlSequenceNode pluginList)
                {
                    Error(tier, "each tier needs a 'plugins' list.");
                    continue;
                }

                foreach (var plugin in pluginList.Children)
                {
                    if (plugin is not YamlMappingNode pluginMap || !pluginMap.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode) || nameNode is not YamlScalarNode { Value: { Length: > 0 } name })
                    {
                        Error(plugin, "each plugin needs a 'name'.");
                        continue;
                    }

                    if (!PluginNames.Known.Contains(name))
                    {
                        Error(nameNode, $"unknown plugin '{name}'; known plugins: {string.Join(", ", PluginNames.Known.Order(StringComparer.Ordinal))}.");
                        continue;
                    }

                    plugins.Add(name);
                    if (pluginMap.Children.TryGetValue(new YamlScalarNode("arguments"), out var arguments))
                    {
                        configuration = PluginArguments(name, arguments, configuration);
                    }
                }
            }

            return configuration with { Plugins = plugins };
        }

        public Dictionary<ActionKind, int> QueueDepths(YamlNode node)
        {
            var depths = new Dictionary<ActionKind, int>();
            foreach (var (key, value) in Map(node, "queueDepthPerAction"))
            {
                if (ActionNames.TryParse(key, out var action))
                {
                    depths[action] = Integer(value, $"queueDepthPerAction.{key}", 0);
                }
                else
                {
                    Error(value, $"queueDepthPerAction: unknown action '{key}'; actions are {ActionNames.All}.");
                }
            }

            return depths;
        }

        /// <param name="spread">Whether gpu or cpu asks for spread.</param>
        public SchedulerConfiguration PlacementStrategy(YamlNode node, SchedulerConfiguration configuration, out bool spread)
        {
            spread = false;
            var placement = configuration.Placement;
            foreach (var (key, value) in Map(node, "placementStrategy"))
            {
                var strategy = Strategy(value, $"placementStrategy.{key}");
                placement = key switch
                {
                    "gpu" => placement with { Gpu = strategy },
                    "cpu" => placement with { Cpu = strategy },
                    _ => placement,
                };
                if (key is not ("gpu" or "cpu"))
                {
                    Error(value, $"placementStrategy: unknown resource '{key}'; use gpu and cpu.");
                }
                else if (strategy == Kai.Scheduling.Configuration.PlacementStrategy.Spread)
                {
                    spread = true;
                }
            }

            return configuration with { Placement = placement };
        }

        public int Integer(YamlNode node, string setting, int fallback)
        {
            if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(node, $"{setting} must be a whole number.");
            return fallback;
        }

        public bool Boolean(YamlNode node, string setting, bool fallback)
        {
            if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
            {
                return value;
            }

            Error(node, $"{setting} must be true or false.");
            return fallback;
        }

        public double Number(YamlNode node, string setting, double fallback)
        {
            if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Error(node, $"{setting} must be a number.");
            return fallback;
        }

        public TimeSpan? Duration(YamlNode node, string setting, bool allowNegative)
        {
            if (node is YamlScalarNode { Value: { } text } && GoDuration.TryParse(text, out var duration, out _) && (allowNegative || !duration.IsNegative))
            {
                return duration.ToTimeSpan();
            }

            Error(node, $"{setting} must be a duration such as 30s, 5m or 1h30m{(allowNegative ? " (negative = never)" : string.Empty)}.");
            return null;
        }

        private SchedulerConfiguration PluginArguments(string plugin, YamlNode node, SchedulerConfiguration configuration)
        {
            foreach (var (key, value) in Map(node, $"{plugin}.arguments"))
            {
                var setting = $"{plugin}.arguments.{key}";
                switch (plugin, key)
                {
                    case (PluginNames.Proportion, "kValue"):
                        configuration = configuration with { Proportion = configuration.Proportion with { KValue = Number(value, setting, 1.0) } };
                        break;
                    case (PluginNames.Proportion, "reclaimerUtilizationMultiplier" or "relcaimerSaturationMultiplier" or "reclaimerSaturationMultiplier"):
                        configuration = configuration with { Proportion = configuration.Proportion with { ReclaimerSaturationMultiplier = Number(value, setting, 1.0) } };
                        break;
                    case (PluginNames.NodePlacement, "gpu"):
                        configuration = configuration with { Placement = configuration.Placement with { Gpu = Strategy(value, setting) } };
                        break;
                    case (PluginNames.NodePlacement, "cpu"):
                        configuration = configuration with { Placement = configuration.Placement with { Cpu = Strategy(value, setting) } };
                        break;
                    case (PluginNames.MinRuntime, "defaultPreemptMinRuntime" or "preemptMinRuntime"):
                        configuration = configuration with { MinRuntime = configuration.MinRuntime with { PreemptMinRuntime = Duration(value, setting, false) ?? TimeSpan.Zero } };
                        break;
                    case (PluginNames.MinRuntime, "defaultReclaimMinRuntime" or "reclaimMinRuntime"):
                        configuration = configuration with { MinRuntime = configuration.MinRuntime with { ReclaimMinRuntime = Duration(value, setting, false) ?? TimeSpan.Zero } };
                        break;
                    case (PluginNames.MinRuntime, "reclaimResolveMethod"):
                        var method = (value as YamlScalarNode)?.Value;
                        if (method is "lca" or "queue")
                        {
                            configuration = configuration with { MinRuntime = configuration.MinRuntime with { ReclaimResolveMethod = method == "queue" ? MinRuntimeResolveMethod.Queue : MinRuntimeResolveMethod.Lca } };
                        }
                        else
                        {
                            Error(value, $"{setting} must be lca or queue.");
                        }

                        break;
                    default:
                        Error(value, $"{setting}: '{key}' is not an argument of plugin {plugin}; see docs/configuration.md for the arguments each plugin takes.");
                        break;
                }
            }

            return configuration;
        }

        private PlacementStrategy Strategy(YamlNode node, string setting)
        {
            var text = (node as YamlScalarNode)?.Value;
            if (string.Equals(text, "spread", StringComparison.OrdinalIgnoreCase))
            {
                return Kai.Scheduling.Configuration.PlacementStrategy.Spread;
            }

            if (!string.Equals(text, "binpack", StringComparison.OrdinalIgnoreCase))
            {
                Error(node, $"{setting} must be binpack or spread.");
            }

            return Kai.Scheduling.Configuration.PlacementStrategy.Binpack;
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
}
