using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Scoring;

/// <summary>Prefers nodes where the pod can bind now over nodes where it would wait for releasing pods.</summary>
internal sealed class NodeAvailabilityPlugin : INodeScorePlugin
{
    public const double FitsIdleScore = 100;

    public string Name => PluginNames.NodeAvailability;

    public NodeScoreTier Tier => NodeScoreTier.Availability;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        session.RequestOf(context.Pod).FitsIn(node.Idle) ? FitsIdleScore : 0;
}
