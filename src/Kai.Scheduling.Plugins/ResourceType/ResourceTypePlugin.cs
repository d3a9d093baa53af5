using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.ResourceType;

/// <summary>KAI's resourcetype plugin: keeps CPU-only pods on CPU-only nodes when it can, leaving GPU nodes for GPU work.</summary>
internal sealed class ResourceTypePlugin : INodeClassScore
{
    public const string PluginName = "resourcetype";

    public const double CpuOnNodeWithoutGpusScore = 10;

    public string Name => PluginName;

    public NodeScoreShape Shape { get; } = NodeScoreShape.Bonus(CpuOnNodeWithoutGpusScore, NodeBonusCondition.NodeClass);

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new ResourceTypePlugin());

    public bool AppliesTo(in NodeScoringContext context) => !context.GpuPod;

    public bool InClass(Node node) => node.IsCpuOnly;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        AppliesTo(context) && InClass(node.Node) ? CpuOnNodeWithoutGpusScore : 0;
}
