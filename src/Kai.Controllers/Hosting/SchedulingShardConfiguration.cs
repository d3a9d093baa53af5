using System.Globalization;
using System.Text.Json;
using Kai.Cluster.Crds;
using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;

namespace Kai.Controllers.Hosting;

/// <summary>
/// Reads the scheduler's configuration from KAI's <c>SchedulingShard</c> (kai.scheduler/v1) spec, as KAI's operator
/// turns it into the scheduler's config: placement strategy, actions (enabled, ordered by priority), plugins
/// (enabled, ordered by priority, arguments replacing the defaults wholesale), queue depth per action, and min
/// runtimes and kValue as the minruntime and proportion plugins' arguments (a plugin's own arguments win). What this scheduler does not support is named in a
/// warning and otherwise ignored, never silently.
/// </summary>
public static class SchedulingShardConfiguration
{
    /// <summary>KAI's default action priorities (higher runs first).</summary>
    private static readonly Dictionary<ActionKind, int> DefaultActionPriority = new()
    {
        [ActionKind.Allocate] = 500,
        [ActionKind.Consolidation] = 400,
        [ActionKind.Reclaim] = 300,
        [ActionKind.Preempt] = 200,
        [ActionKind.StaleGangEviction] = 100,
    };

    /// <summary>KAI's default plugin priorities (higher first); names not listed rank after them, in their current order.</summary>
    private static readonly Dictionary<string, int> DefaultPluginPriority = new(StringComparer.Ordinal)
    {
        ["predicates"] = 1900, ["proportion"] = 1800, ["priority"] = 1700, ["nodeavailability"] = 1600, ["resourcetype"] = 1500,
        ["podaffinity"] = 1400, ["elastic"] = 1300, ["kubeflow"] = 1200, ["ray"] = 1100, ["subgrouporder"] = 1000, ["taskorder"] = 900,
        ["nominatednode"] = 800, ["dynamicresources"] = 700, ["minruntime"] = 600, ["topology"] = 500, ["snapshot"] = 400,
        ["gpupack"] = 300, ["gpuspread"] = 300, ["nodeplacement"] = 200, ["gpusharingorder"] = 100,
    };

    /// <summary>The configuration a shard's spec describes, starting from <paramref name="baseline"/>, for KAI's plugins.</summary>
    public static SchedulerConfiguration Map(string shard, JsonElement spec, SchedulerConfiguration baseline, out string? partition, out List<string> warnings) =>
        Map(shard, spec, baseline, KaiPlugins.Registry, out partition, out warnings);

    /// <summary>The configuration a shard's spec describes, starting from <paramref name="baseline"/>.</summary>
    /// <param name="shard">The shard's name, for messages.</param>
    /// <param name="spec">The shard's <c>spec</c>.</param>
    /// <param name="registry">The plugins the scheduler has (names and default list).</param>
    public static SchedulerConfiguration Map(string shard, JsonElement spec, SchedulerConfiguration baseline, PluginRegistry registry, out string? partition, out List<string> warnings)
    {
        warnings = [];
        partition = null;
        if (spec.ValueKind != JsonValueKind.Object)
        {
            return baseline;
        }

        var where = $"SchedulingShard {shard}";
        var configuration = baseline;
        var plugins = new PluginList(baseline.Plugins ?? [.. registry.DefaultPlugins.Select(n => new PluginEntry(n))]);
        foreach (var field in spec.EnumerateObject())
        {
            configuration = ReadField(field, configuration, plugins, registry, where, warnings, ref partition);
        }

        return WithoutConsolidationWhenSpreading(configuration with { Plugins = plugins.Build() });
    }

    /// <summary>One field of the spec applied to the configuration (or, for plugin arguments, to <paramref name="plugins"/>).</summary>
    private static SchedulerConfiguration ReadField(JsonProperty field, SchedulerConfiguration configuration, PluginList plugins, PluginRegistry registry, string where, List<string> warnings, ref string? partition)
    {
        switch (field.Name)
        {
            case "partitionLabelValue":
                partition = Partition(field.Value, where, warnings);
                break;
            case "placementStrategy":
                return Placement(field.Value, configuration, where, warnings);
            case "actions":
                return configuration with { Actions = Actions(field.Value, where, warnings) };
            case "plugins":
                plugins.Apply(field.Value, registry, where, warnings);
                break;
            case "queueDepthPerAction":
                return configuration with { QueueDepthPerAction = QueueDepths(field.Value, where, warnings) };
            case "minRuntime":
                MinRuntime(field.Value, plugins, where, warnings);
                break;
            case "kValue":
                KValue(field.Value, plugins, where, warnings);
                break;
            case "args":
                foreach (var arg in field.Value.ValueKind == JsonValueKind.Object ? field.Value.EnumerateObject() : default)
                {
                    warnings.Add($"{where}: spec.args.{arg.Name} is a flag of KAI's scheduler binary that this scheduler does not read; ignored");
                }

                break;
            case "usageDBConfig":
                warnings.Add($"{where}: spec.usageDBConfig (time-based fair share from historical usage) is not supported; fair share is computed from current requests only");
                break;
            default:
                warnings.Add($"{where}: spec.{field.Name} is not supported by this scheduler; ignored");
                break;
        }

        return configuration;
    }

    /// <summary>KAI's operator disables consolidation when either strategy spreads.</summary>
    private static SchedulerConfiguration WithoutConsolidationWhenSpreading(SchedulerConfiguration configuration) =>
        configuration.GpuPlacementStrategy == PlacementStrategy.Spread || configuration.CpuPlacementStrategy == PlacementStrategy.Spread
            ? configuration with { Actions = [.. configuration.Actions.Where(a => a != ActionKind.Consolidation)] }
            : configuration;

    private static string? Partition(JsonElement value, string where, List<string> warnings)
    {
        var partition = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (!string.IsNullOrEmpty(partition))
        {
            warnings.Add($"{where}: spec.partitionLabelValue '{partition}' names the scheduler's lease, but nodes, queues and pod groups are not filtered by partition (every object is scheduled)");
        }

        return partition;
    }

    private static void KValue(JsonElement value, PluginList plugins, string where, List<string> warnings)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var k) && k >= 0)
        {
            plugins.SetDefaultArgument("proportion", "kValue", k.ToString(CultureInfo.InvariantCulture), $"{where} spec.kValue", where, warnings);
        }
        else
        {
            warnings.Add($"{where}: spec.kValue must be a number of 0 or more; ignored");
        }
    }

    private static SchedulerConfiguration Placement(JsonElement value, SchedulerConfiguration configuration, string where, List<string> warnings)
    {
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
            PlacementStrategy? strategy = text switch
            {
                "binpack" => PlacementStrategy.Binpack,
                "spread" => PlacementStrategy.Spread,
                _ => null,
            };
            if (strategy is null || field.Name is not ("gpu" or "cpu"))
            {
                warnings.Add($"{where}: spec.placementStrategy.{field.Name}: '{text}' is not binpack or spread for gpu or cpu; ignored");
                continue;
            }

            configuration = field.Name == "gpu" ? configuration with { GpuPlacementStrategy = strategy } : configuration with { CpuPlacementStrategy = strategy };
        }

        return configuration;
    }

    private static List<ActionKind> Actions(JsonElement value, string where, List<string> warnings)
    {
        var priorities = new Dictionary<ActionKind, int>(DefaultActionPriority);
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            if (!ActionNames.TryParse(field.Name, out var action))
            {
                warnings.Add($"{where}: spec.actions.{field.Name} is not an action ({ActionNames.All}); ignored");
                continue;
            }

            if (field.Value.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
            {
                priorities.Remove(action);
                continue;
            }

            if (field.Value.TryGetProperty("priority", out var priority) && priority.ValueKind == JsonValueKind.Number && priority.TryGetInt32(out var p))
            {
                priorities[action] = p;
            }
        }

        return [.. priorities.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key)];
    }

    private static Dictionary<ActionKind, int> QueueDepths(JsonElement value, string where, List<string> warnings)
    {
        var depths = new Dictionary<ActionKind, int>();
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            if (ActionNames.TryParse(field.Name, out var action) && field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var depth) && depth > 0)
            {
                depths[action] = depth;
            }
            else
            {
                warnings.Add($"{where}: spec.queueDepthPerAction.{field.Name} must name an action and a positive whole number; ignored");
            }
        }

        return depths;
    }

    private static void MinRuntime(JsonElement value, PluginList plugins, string where, List<string> warnings)
    {
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
            if (text is null || !GoDuration.TryParse(text, out var duration, out _) || duration.Nanoseconds < 0 || field.Name is not ("preemptMinRuntime" or "reclaimMinRuntime"))
            {
                warnings.Add($"{where}: spec.minRuntime.{field.Name}: '{text}' is not a duration such as 10m for preemptMinRuntime or reclaimMinRuntime; ignored");
                continue;
            }

            var argument = field.Name == "preemptMinRuntime" ? "defaultPreemptMinRuntime" : "defaultReclaimMinRuntime";
            plugins.SetDefaultArgument("minruntime", argument, text, $"{where} spec.minRuntime.{field.Name}", where, warnings);
        }
    }

    /// <summary>The shard's plugin list as it is edited: entries in order, each with an optional priority.</summary>
    private sealed class PluginList(IReadOnlyList<PluginEntry> baseline)
    {
        private readonly List<PluginEntry> _entries = [.. baseline];
        private readonly Dictionary<string, int> _priorities = new(StringComparer.Ordinal);
        private readonly HashSet<string> _explicitArguments = new(StringComparer.Ordinal);

        public void Apply(JsonElement value, PluginRegistry registry, string where, List<string> warnings)
        {
            foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
            {
                if (!registry.Contains(field.Name))
                {
                    warnings.Add($"{where}: spec.plugins.{field.Name} is not a plugin this scheduler has ({string.Join(", ", registry.Names)}); ignored");
                    continue;
                }

                var index = _entries.FindIndex(e => e.Name == field.Name);
                if (field.Value.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.False)
                {
                    if (index >= 0)
                    {
                        _entries.RemoveAt(index);
                    }

                    continue;
                }

                var entry = index >= 0 ? _entries[index] : new PluginEntry(field.Name);
                if (field.Value.TryGetProperty("arguments", out var arguments))
                {
                    entry = entry with { Arguments = ArgumentsOf(arguments, $"{where} spec.plugins.{field.Name}.arguments"), Source = $"{where} spec.plugins.{field.Name}" };
                    _explicitArguments.Add(field.Name);
                }

                if (index >= 0)
                {
                    _entries[index] = entry;
                }
                else
                {
                    _entries.Add(entry);
                }

                if (field.Value.TryGetProperty("priority", out var priority))
                {
                    if (priority.ValueKind == JsonValueKind.Number && priority.TryGetInt32(out var p))
                    {
                        _priorities[field.Name] = p;
                    }
                    else
                    {
                        warnings.Add($"{where}: spec.plugins.{field.Name}.priority must be a whole number; ignored");
                    }
                }
            }
        }

        /// <summary>Sets an argument from a shard-level field, unless the plugin's own arguments were given (they win).</summary>
        public void SetDefaultArgument(string plugin, string key, string text, string source, string where, List<string> warnings)
        {
            var index = _entries.FindIndex(e => e.Name == plugin);
            if (index < 0)
            {
                warnings.Add($"{where}: {source} is for plugin {plugin}, which is not enabled; ignored");
                return;
            }

            if (_explicitArguments.Contains(plugin))
            {
                return;
            }

            var entry = _entries[index];
            var kept = entry.Arguments.Where(a => a.Key != key).Append(new PluginArgument(key, text, source));
            _entries[index] = entry with { Arguments = new PluginArguments(kept, KaiArgumentSyntax.Instance) };
        }

        /// <summary>The list, by priority (higher first) once any priority is given, KAI's defaults for the rest.</summary>
        public List<PluginEntry> Build()
        {
            if (_priorities.Count == 0)
            {
                return _entries;
            }

            return [.. _entries
                .Select((entry, order) => (entry, order, priority: _priorities.TryGetValue(entry.Name, out var p) ? p : DefaultPluginPriority.GetValueOrDefault(entry.Name, int.MinValue)))
                .OrderByDescending(e => e.priority).ThenBy(e => e.order).Select(e => e.entry)];
        }

        private static PluginArguments ArgumentsOf(JsonElement arguments, string source) =>
            new(
                (arguments.ValueKind == JsonValueKind.Object ? arguments.EnumerateObject() : default)
                    .Select(a => new PluginArgument(a.Name, a.Value.ValueKind switch
                    {
                        JsonValueKind.String => a.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => a.Value.GetRawText(),
                    }, source)),
                KaiArgumentSyntax.Instance);
    }
}
