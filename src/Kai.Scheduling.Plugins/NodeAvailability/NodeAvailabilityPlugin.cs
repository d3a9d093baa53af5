using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.NodeAvailability;

/// <summary>KAI's nodeavailability plugin: prefers nodes where the pod can bind now over nodes where it would wait for releasing pods.</summary>
internal sealed class NodeAvailabilityPlugin : INodeScorePlugin
{
    public const string PluginName = "nodeavailability";

    public const double FitsIdleScore = 100;

    public string Name => PluginName;

    public NodeScoreShape Shape { get; } = NodeScoreShape.Bonus(FitsIdleScore, NodeBonusCondition.FitsOnIdle);

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new NodeAvailabilityPlugin());

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        (session.Snapshot.Pods[context.Pod].Gpu.IsShared ? SharedGpuFit.FitsIdle(session, context.Pod, node) : session.RequestOf(context.Pod).FitsIn(node.Idle))
            ? FitsIdleScore
            : 0;
}
