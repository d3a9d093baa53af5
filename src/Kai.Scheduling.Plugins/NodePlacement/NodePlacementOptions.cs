using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Plugins.NodePlacement;

/// <summary>The nodeplacement plugin's arguments: where to put pods among fitting nodes, per resource kind.</summary>
public sealed record NodePlacementOptions : IPluginOptions
{
    private static readonly string[] Arguments = ["gpu", "cpu"];

    /// <summary>Strategy for pods that request GPUs (argument <c>gpu</c>; default binpack).</summary>
    public PlacementStrategy Gpu { get; init; } = PlacementStrategy.Binpack;

    /// <summary>Strategy for CPU-only pods (argument <c>cpu</c>; default binpack).</summary>
    public PlacementStrategy Cpu { get; init; } = PlacementStrategy.Binpack;

    /// <summary>
    /// Reads <c>gpu</c> and <c>cpu</c> (binpack | spread). What the plugin's arguments leave open follows the
    /// shard-level <c>placementStrategy</c>, as KAI's operator renders that setting into these arguments.
    /// </summary>
    public static NodePlacementOptions Bind(PluginBinding binding)
    {
        var options = new NodePlacementOptions
        {
            Gpu = binding.Configuration.GpuPlacementStrategy ?? PlacementStrategy.Binpack,
            Cpu = binding.Configuration.CpuPlacementStrategy ?? PlacementStrategy.Binpack,
        };
        foreach (var argument in binding.Arguments)
        {
            switch (argument.Key)
            {
                case "gpu":
                    options = options with { Gpu = Strategy(binding, argument) ?? options.Gpu };
                    break;
                case "cpu":
                    options = options with { Cpu = Strategy(binding, argument) ?? options.Cpu };
                    break;
                default:
                    binding.Unknown(argument, Arguments);
                    break;
            }
        }

        return options;
    }

    public IEnumerable<string> Validate() => [];

    private static PlacementStrategy? Strategy(PluginBinding binding, PluginArgument argument) =>
        binding.Choice(argument, ("binpack", PlacementStrategy.Binpack), ("spread", PlacementStrategy.Spread));
}
