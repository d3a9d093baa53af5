using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.NominatedNode;

/// <summary>
/// KAI's nominatednode plugin: 1,000,000 for the node named in the pod's <c>status.nominatedNodeName</c>, so a pod
/// goes back to the node it was meant for (a pod its controller created again after a move) while it still fits
/// there. Selective: pods without a nominated node, or whose node is gone, are placed as if it were not there.
/// </summary>
internal sealed class NominatedNodePlugin : ISelectiveNodeScore
{
    public const string PluginName = "nominatednode";

    public const double NominatedScore = 1_000_000;

    public string Name => PluginName;

    public NodeScoreShape Shape => NodeScoreShape.Opaque;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new NominatedNodePlugin());

    public bool Scores(ISessionView session, int pod) =>
        session.Snapshot.Pods[pod].NominatedNodeName is { } node && session.Snapshot.FindNode(node) >= 0;

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        string.Equals(session.Snapshot.Pods[context.Pod].NominatedNodeName, node.Node.Name, StringComparison.Ordinal) ? NominatedScore : 0;
}
