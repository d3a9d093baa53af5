using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.PodAffinity;

/// <summary>
/// KAI's podaffinity plugin: Kubernetes' InterPodAffinity score — the pod's preferred (anti-)affinity over the pods
/// in each node's domains, and existing pods' affinity towards it — raw, not normalised, times 100,000.
/// </summary>
/// <remarks>
/// Selective: a pod gets a score only where some domain scores non-zero for it (it states preferences that match
/// pods, or existing pods' terms select it); every other pod is placed by the indexed node search as if the plugin
/// were not there. The domain scores are computed once per pod and index version.
/// </remarks>
internal sealed class PodAffinityPlugin : ISelectiveNodeScore
{
    public const string PluginName = "podaffinity";

    /// <summary>KAI's weight for scores taken from Kubernetes plugins.</summary>
    public const double ScoreScale = 100_000;

    private bool? _anyScoringOthers;
    private (int Pod, int Version, Dictionary<string, Dictionary<string, long>> Scores)? _cached;

    public string Name => PluginName;

    public NodeScoreShape Shape => NodeScoreShape.Opaque;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new PodAffinityPlugin());

    public bool Scores(ISessionView session, int pod)
    {
        if (!MayScore(session, pod))
        {
            return false;
        }

        foreach (var byValue in ScoresFor(session, pod).Values)
        {
            if (byValue.Values.Any(score => score != 0))
            {
                return true;
            }
        }

        return false;
    }

    public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
        MayScore(session, context.Pod) ? ScoreScale * AffinityMatching.ScoreOf(ScoresFor(session, context.Pod), node.Node) : 0;

    /// <summary>Without preferences of its own and with no pod whose terms score others, a pod scores 0 everywhere.</summary>
    private bool MayScore(ISessionView session, int pod) =>
        session.Snapshot.Pods[pod].Constraints.PodAffinity.HasPreferred
        || (_anyScoringOthers ??= session.Snapshot.AnyPodScoresOthers);

    private Dictionary<string, Dictionary<string, long>> ScoresFor(ISessionView session, int pod)
    {
        var version = session.PodLabels.Version;
        if (_cached is { } known && known.Pod == pod && known.Version == version)
        {
            return known.Scores;
        }

        var scores = AffinityMatching.TopologyScores(session, pod);
        _cached = (pod, version, scores);
        return scores;
    }
}
