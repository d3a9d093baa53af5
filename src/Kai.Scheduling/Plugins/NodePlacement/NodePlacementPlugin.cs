using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.NodePlacement;

/// <summary>
/// KAI's nodeplacement plugin: bin-packing or spreading by the node's free GPUs (GPU pods) or free millicores (CPU-only pods), counting
/// releasing capacity as free. Binpack scores 0–9 from most to least free over the candidate nodes; spread
/// scores free/total in 0–1.
/// </summary>
internal sealed class NodePlacementPlugin(NodePlacementOptions options) : INodeScorePlugin
{
    public const string PluginName = "nodeplacement";

    public const double BinpackMaxScore = 9;

    public string Name => PluginName;

    public NodeScoreTier Tier => NodeScoreTier.Placement;

    public NodePlacementOptions Options { get; } = options;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, NodePlacementOptions.Bind, (options, _) => new NodePlacementPlugin(options));

    public PlacementStrategy StrategyFor(bool gpuPod) => gpuPod ? Options.Gpu : Options.Cpu;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node)
    {
        var free = FreeAmount(node, context.GpuPod);
        var total = TotalAmount(node, context.GpuPod);
        if (total <= 0)
        {
            return 0;
        }

        if (StrategyFor(context.GpuPod) == PlacementStrategy.Spread)
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

    /// <summary>Free GPUs (milli) or millicores, idle plus releasing.</summary>
    public static long FreeAmount(NodeState node, bool gpuPod) => gpuPod ? node.Idle.Gpu + node.Releasing.Gpu : node.Idle.Cpu + node.Releasing.Cpu;

    /// <summary>The node's GPUs (label <c>nvidia.com/gpu.count</c>, else allocatable) or millicores.</summary>
    public static long TotalAmount(NodeState node, bool gpuPod) =>
        gpuPod ? (node.Node.GpuCount > 0 ? node.Node.GpuCount * Resources.ResourceVector.MilliPerGpu : node.Node.Allocatable.Gpu) : node.Node.Allocatable.Cpu;
}
