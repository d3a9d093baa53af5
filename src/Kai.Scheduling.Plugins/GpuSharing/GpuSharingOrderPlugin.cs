using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.GpuSharing;

/// <summary>
/// KAI's gpusharingorder plugin: for a pod that shares GPUs, a node with an open shared GPU that has room for its
/// share scores 1,000 — above fitting on idle (100) — so sharers fill shared GPUs before opening new ones.
/// </summary>
internal sealed class GpuSharingOrderPlugin : INodeScorePlugin
{
    public const string PluginName = "gpusharingorder";

    public const double FitsSharedGpuScore = 1000;

    public string Name => PluginName;

    public NodeScoreShape Shape { get; } = NodeScoreShape.Bonus(FitsSharedGpuScore, NodeBonusCondition.FitsSharedGpu);

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new GpuSharingOrderPlugin());

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        SharedGpuFit.FitsOpenGroup(session, context.Pod, node) ? FitsSharedGpuScore : 0;
}
