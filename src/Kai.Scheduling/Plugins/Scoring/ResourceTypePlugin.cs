using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Scoring;

/// <summary>Keeps CPU-only pods on CPU-only nodes when it can, leaving GPU nodes for GPU work.</summary>
internal sealed class ResourceTypePlugin : INodeScorePlugin
{
    public const double CpuOnNodeWithoutGpusScore = 10;

    public string Name => PluginNames.ResourceType;

    public NodeScoreTier Tier => NodeScoreTier.ResourceType;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        !context.GpuPod && node.Node.IsCpuOnly ? CpuOnNodeWithoutGpusScore : 0;
}
