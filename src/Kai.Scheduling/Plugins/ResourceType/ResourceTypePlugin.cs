using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.ResourceType;

/// <summary>KAI's resourcetype plugin: keeps CPU-only pods on CPU-only nodes when it can, leaving GPU nodes for GPU work.</summary>
internal sealed class ResourceTypePlugin : INodeScorePlugin
{
    public const string PluginName = "resourcetype";

    public const double CpuOnNodeWithoutGpusScore = 10;

    public string Name => PluginName;

    public NodeScoreTier Tier => NodeScoreTier.ResourceType;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new ResourceTypePlugin());

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        !context.GpuPod && node.Node.IsCpuOnly ? CpuOnNodeWithoutGpusScore : 0;
}
