using System.Globalization;
using System.Text.Json;
using Kai.Cluster.Crds;
using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Hosting;

/// <summary>
/// Reads the scheduler's configuration from KAI's <c>SchedulingShard</c> (kai.scheduler/v1) spec, as KAI's operator
/// turns it into the scheduler's config: placement strategy, actions (enabled, ordered by priority), plugins
/// (enabled), queue depth per action, min runtimes and kValue. What this scheduler does not support is named in a
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

    /// <summary>The configuration a shard's spec describes, starting from <paramref name="baseline"/>.</summary>
    /// <param name="shard">The shard's name, for messages.</param>
    /// <param name="spec">The shard's <c>spec</c>.</param>
    public static SchedulerConfiguration Map(string shard, JsonElement spec, SchedulerConfiguration baseline, out string? partition, out List<string> warnings)
    {
        warnings = [];
        partition = null;
        var configuration = baseline;
        if (spec.ValueKind != JsonValueKind.Object)
        {
            return configuration;
        }

        var where = $"SchedulingShard {shard}";
        var spread = false;
        foreach (var field in spec.EnumerateObject())
        {
            switch (field.Name)
            {
                case "partitionLabelValue":
                    partition = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    if (!string.IsNullOrEmpty(partition))
                    {
                        warnings.Add($"{where}: spec.partitionLabelValue '{partition}' names the scheduler's lease, but nodes, queues and pod groups are not filtered by partition (every object is scheduled)");
                    }

                    break;
                case "placementStrategy":
                    configuration = configuration with { Placement = Placement(field.Value, configuration.Placement, where, warnings, ref spread) };
                    break;
                case "actions":
                    configuration = configuration with { Actions = Actions(field.Value, where, warnings) };
                    break;
                case "plugins":
                    configuration = configuration with { Plugins = Plugins(field.Value, configuration.Plugins, where, warnings) };
                    break;
                case "queueDepthPerAction":
                    configuration = configuration with { QueueDepthPerAction = QueueDepths(field.Value, where, warnings) };
                    break;
                case "minRuntime":
                    configuration = configuration with { MinRuntime = MinRuntime(field.Value, configuration.MinRuntime, where, warnings) };
                    break;
                case "kValue":
                    if (field.Value.TryGetDouble(out var k) && k >= 0)
                    {
                        configuration = configuration with { Proportion = configuration.Proportion with { KValue = k } };
                    }
                    else
                    {
                        warnings.Add($"{where}: spec.kValue must be a number of 0 or more; the default {configuration.Proportion.KValue.ToString(CultureInfo.InvariantCulture)} is used");
                    }

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
        }

        // KAI's operator disables consolidation when either strategy spreads.
        if (spread && configuration.Actions.Contains(ActionKind.Consolidation))
        {
            configuration = configuration with { Actions = [.. configuration.Actions.Where(a => a != ActionKind.Consolidation)] };
        }

        return configuration;
    }

    private static PlacementOptions Placement(JsonElement value, PlacementOptions placement, string where, List<string> warnings, ref bool spread)
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

            spread |= strategy == PlacementStrategy.Spread;
            placement = field.Name == "gpu" ? placement with { Gpu = strategy.Value } : placement with { Cpu = strategy.Value };
        }

        return placement;
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

            if (field.Value.TryGetProperty("priority", out var priority) && priority.TryGetInt32(out var p))
            {
                priorities[action] = p;
            }
        }

        return [.. priorities.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key)];
    }

    private static List<string> Plugins(JsonElement value, IReadOnlyList<string> current, string where, List<string> warnings)
    {
        var plugins = current.ToList();
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            if (!PluginNames.Known.Contains(field.Name))
            {
                warnings.Add($"{where}: spec.plugins.{field.Name} is not a plugin this scheduler has; ignored");
                continue;
            }

            var enabled = !(field.Value.TryGetProperty("enabled", out var flag) && flag.ValueKind == JsonValueKind.False);
            if (!enabled)
            {
                plugins.Remove(field.Name);
            }
            else if (!plugins.Contains(field.Name))
            {
                plugins.Add(field.Name);
            }

            if (field.Value.TryGetProperty("priority", out _))
            {
                warnings.Add($"{where}: spec.plugins.{field.Name}.priority is not applied; plugins run in this scheduler's fixed order");
            }

            if (field.Value.TryGetProperty("arguments", out _))
            {
                warnings.Add($"{where}: spec.plugins.{field.Name}.arguments are not applied; set plugin options with --config instead");
            }
        }

        return plugins;
    }

    private static Dictionary<ActionKind, int> QueueDepths(JsonElement value, string where, List<string> warnings)
    {
        var depths = new Dictionary<ActionKind, int>();
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            if (ActionNames.TryParse(field.Name, out var action) && field.Value.TryGetInt32(out var depth) && depth > 0)
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

    private static MinRuntimeOptions MinRuntime(JsonElement value, MinRuntimeOptions options, string where, List<string> warnings)
    {
        foreach (var field in value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : default)
        {
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
            if (text is null || !GoDuration.TryParse(text, out var duration, out _) || duration.Nanoseconds < 0 || field.Name is not ("preemptMinRuntime" or "reclaimMinRuntime"))
            {
                warnings.Add($"{where}: spec.minRuntime.{field.Name}: '{text}' is not a duration such as 10m for preemptMinRuntime or reclaimMinRuntime; ignored");
                continue;
            }

            options = field.Name == "preemptMinRuntime" ? options with { PreemptMinRuntime = duration.ToTimeSpan() } : options with { ReclaimMinRuntime = duration.ToTimeSpan() };
        }

        return options;
    }
}
