using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.Predicates;

namespace Kai.Scheduling.Plugins.PodAffinity;

/// <summary>
/// Kubernetes' InterPodAffinity filter, part of KAI's predicates: the node's domain of every required affinity term
/// must hold a pod matching all the terms (unless no such pod exists anywhere and the pod matches its own terms:
/// the first of a group with affinity to itself); no domain of a required anti-affinity term may hold a matching
/// pod; and no existing pod's required anti-affinity may select this pod in the node's domain.
/// </summary>
/// <remarks>
/// Dynamic: it reads which pods occupy nodes now. A pod without required terms, in a session where no pod has
/// required anti-affinity, passes at once — the label index is never built for it. For the others, what the
/// node checks need (Kubernetes' PreFilter state) is computed once per pod and index version, so the checks of
/// one placement cost a dictionary lookup per term.
/// </remarks>
internal sealed class InterPodAffinityPredicate : INodePredicatePlugin, INodeLocalPredicate
{
    private bool? _anyRequiredAntiAffinity;
    private PreFilterState? _state;
    private (int Pod, int Version, HashSet<TopologyPair> Closed)? _closed;

    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => false;

    /// <summary>A pod that passes at once (no required terms of its own, no required anti-affinity in the session) reads no node at all.</summary>
    public bool IsNodeLocal(ISessionView session, int pod)
    {
        var affinity = session.Snapshot.Pods[pod].Constraints.PodAffinity;
        return affinity.RequiredAffinity.Count == 0 && affinity.RequiredAntiAffinity.Count == 0 && !AnyRequiredAntiAffinity(session);
    }

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var affinity = session.Snapshot.Pods[pod].Constraints.PodAffinity;
        var ownTerms = affinity.RequiredAffinity.Count > 0 || affinity.RequiredAntiAffinity.Count > 0;
        if (!ownTerms && !AnyRequiredAntiAffinity(session))
        {
            return PluginStatus.Success;
        }

        var labels = node.Node.Labels;
        if (ownTerms)
        {
            var state = StateFor(session, pod);
            if (!SatisfiesAffinity(session, pod, state, labels))
            {
                return PluginStatus.Unresolvable("node(s) didn't match pod affinity rules", Name);
            }

            foreach (var term in affinity.RequiredAntiAffinity)
            {
                if (labels.TryGetValue(term.TopologyKey, out var value) && state.AntiAffinity.ContainsKey(new TopologyPair(term.TopologyKey, value)))
                {
                    return PluginStatus.Unschedulable("node(s) didn't match pod anti-affinity rules", Name);
                }
            }
        }

        foreach (var pair in ClosedFor(session, pod))
        {
            if (labels.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                return PluginStatus.Unschedulable("node(s) didn't satisfy existing pods anti-affinity rules", Name);
            }
        }

        return PluginStatus.Success;
    }

    private static bool SatisfiesAffinity(ISessionView session, int pod, PreFilterState state, IReadOnlyDictionary<string, string> labels)
    {
        var podsExist = true;
        foreach (var term in session.Snapshot.Pods[pod].Constraints.PodAffinity.RequiredAffinity)
        {
            // Every term's topology label must exist on the node.
            if (!labels.TryGetValue(term.TopologyKey, out var value))
            {
                return false;
            }

            if (!state.Affinity.ContainsKey(new TopologyPair(term.TopologyKey, value)))
            {
                podsExist = false;
            }
        }

        return podsExist || (state.Affinity.Count == 0 && state.MatchesOwnAffinity);
    }

    private bool AnyRequiredAntiAffinity(ISessionView session) =>
        _anyRequiredAntiAffinity ??= session.Snapshot.AnyPodRequiresAntiAffinity;

    private PreFilterState StateFor(ISessionView session, int pod)
    {
        var version = session.PodLabels.Version;
        if (_state is { } known && known.Pod == pod && known.Version == version)
        {
            return known;
        }

        _state = new PreFilterState(
            pod,
            version,
            AffinityMatching.AffinityCounts(session, pod),
            AffinityMatching.AntiAffinityCounts(session, pod),
            AffinityMatching.MatchesOwnAffinity(session, pod));
        return _state;
    }

    private HashSet<TopologyPair> ClosedFor(ISessionView session, int pod)
    {
        if (!AnyRequiredAntiAffinity(session))
        {
            return [];
        }

        var version = session.PodLabels.AntiAffinityVersion;
        if (_closed is { } known && known.Pod == pod && known.Version == version)
        {
            return known.Closed;
        }

        var closed = AffinityMatching.ClosedByExistingPods(session, pod);
        _closed = (pod, version, closed);
        return closed;
    }

    private sealed record PreFilterState(int Pod, int Version, Dictionary<TopologyPair, int> Affinity, Dictionary<TopologyPair, int> AntiAffinity, bool MatchesOwnAffinity);
}
