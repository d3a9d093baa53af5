using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.NodePlacement;

/// <summary>
/// KAI's nodeplacement plugin: bin-packing or spreading by the node's free GPUs (GPU pods) or free millicores (CPU-only pods), counting
/// releasing capacity as free. Binpack scores 0–9 from most to least free over the candidate nodes; spread
/// scores free/total in 0–1.
/// </summary>
internal sealed class NodePlacementPlugin(NodePlacementOptions options) : INodeOrderingScore
{
    public const string PluginName = "nodeplacement";

    public const double BinpackMaxScore = 9;

    public string Name => PluginName;

    /// <summary>Binpack scores up to 9, spread up to 1.</summary>
    public NodeScoreShape Shape { get; } = NodeScoreShape.Ordering(BinpackMaxScore);

    public NodePlacementOptions Options { get; } = options;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, NodePlacementOptions.Bind, (options, _) => new NodePlacementPlugin(options));

    public PlacementStrategy StrategyFor(in NodeScoringContext context) => context.GpuPod ? Options.Gpu : Options.Cpu;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node)
    {
        var free = NodeAmounts.Free(node, context.Resource);
        var total = NodeAmounts.Total(node, context.Resource);
        if (total <= 0)
        {
            return 0;
        }

        if (StrategyFor(context) == PlacementStrategy.Spread)
        {
            return free / (double)total;
        }

        if (context.MaxFree == 0)
        {
            return 0;
        }

        if (context.MinFree == context.MaxFree)
        {
            return BinpackMaxScore;
        }

        return BinpackMaxScore * (1 - ((free - context.MinFree) / (double)(context.MaxFree - context.MinFree)));
    }
}
