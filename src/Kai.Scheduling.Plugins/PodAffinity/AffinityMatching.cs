using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.PodAffinity;

/// <summary>
/// Kubernetes' inter-pod affinity arithmetic over the session's pods on nodes (<see cref="PodLabelIndex"/>): which
/// topology domains hold pods a term selects, which domains existing pods' anti-affinity closes to a pod, and the
/// preference score of each domain. Existing pods are those occupying nodes (running, bound, placed or pipelined
/// in this session, and terminating ones); the pod being placed never counts itself.
/// </summary>
internal static class AffinityMatching
{
    /// <summary>KAI runs Kubernetes' InterPodAffinity with its default arguments: an existing pod's required affinity weighs 1 in scores.</summary>
    public const int HardPodAffinityWeight = 1;

    /// <summary>
    /// Per domain of the pod's required affinity terms, how many existing pods match <em>all</em> the terms
    /// (counted for every term's domain of the pod's node), as Kubernetes' PreFilter counts them.
    /// </summary>
    public static Dictionary<TopologyPair, int> AffinityCounts(ISessionView session, int pod)
    {
        var counts = new Dictionary<TopologyPair, int>();
        var terms = session.Snapshot.Pods[pod].Constraints.PodAffinity.RequiredAffinity;
        if (terms.Count == 0 || terms[0].Selector is not { } first)
        {
            return counts;
        }

        foreach (var other in session.PodLabels.Candidates(first))
        {
            if (other == pod || !MatchesAll(session, terms, other))
            {
                continue;
            }

            var labels = NodeLabelsOf(session, other);
            foreach (var term in terms)
            {
                if (labels.TryGetValue(term.TopologyKey, out var value))
                {
                    Increment(counts, new TopologyPair(term.TopologyKey, value));
                }
            }
        }

        return counts;
    }

    /// <summary>Per domain of each required anti-affinity term of the pod, how many existing pods the term matches.</summary>
    public static Dictionary<TopologyPair, int> AntiAffinityCounts(ISessionView session, int pod)
    {
        var counts = new Dictionary<TopologyPair, int>();
        foreach (var term in session.Snapshot.Pods[pod].Constraints.PodAffinity.RequiredAntiAffinity)
        {
            if (term.Selector is not { } selector)
            {
                continue;
            }

            foreach (var other in session.PodLabels.Candidates(selector))
            {
                if (other != pod && Matches(session, term, other) && NodeLabelsOf(session, other).TryGetValue(term.TopologyKey, out var value))
                {
                    Increment(counts, new TopologyPair(term.TopologyKey, value));
                }
            }
        }

        return counts;
    }

    /// <summary>The domains that existing pods' required anti-affinity closes to the pod (symmetry of anti-affinity).</summary>
    public static HashSet<TopologyPair> ClosedByExistingPods(ISessionView session, int pod)
    {
        var closed = new HashSet<TopologyPair>();
        var incoming = session.Snapshot.Pods[pod];
        var namespaceLabels = session.Snapshot.NamespaceLabelsOf(incoming.Namespace);
        foreach (var other in session.PodLabels.WithRequiredAntiAffinity)
        {
            if (other == pod)
            {
                continue;
            }

            var labels = NodeLabelsOf(session, other);
            foreach (var term in session.Snapshot.Pods[other].Constraints.PodAffinity.RequiredAntiAffinity)
            {
                if (term.Matches(incoming, namespaceLabels) && labels.TryGetValue(term.TopologyKey, out var value))
                {
                    closed.Add(new TopologyPair(term.TopologyKey, value));
                }
            }
        }

        return closed;
    }

    /// <summary>Whether the pod matches all its own required affinity terms (the first of a group with affinity to itself may go anywhere).</summary>
    public static bool MatchesOwnAffinity(ISessionView session, int pod)
    {
        var definition = session.Snapshot.Pods[pod];
        var namespaceLabels = session.Snapshot.NamespaceLabelsOf(definition.Namespace);
        foreach (var term in definition.Constraints.PodAffinity.RequiredAffinity)
        {
            if (!term.Matches(definition, namespaceLabels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Kubernetes' InterPodAffinity score per domain for the pod: its preferred terms over existing pods (+weight for
    /// affinity, -weight for anti-affinity), and existing pods' terms over the pod — their required affinity
    /// (+<see cref="HardPodAffinityWeight"/>), preferred affinity (+weight) and preferred anti-affinity (-weight).
    /// </summary>
    public static Dictionary<string, Dictionary<string, long>> TopologyScores(ISessionView session, int pod)
    {
        var scores = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var incoming = session.Snapshot.Pods[pod];
        var affinity = incoming.Constraints.PodAffinity;
        AddPreferred(session, pod, affinity.PreferredAffinity, 1, scores);
        AddPreferred(session, pod, affinity.PreferredAntiAffinity, -1, scores);

        var namespaceLabels = session.Snapshot.NamespaceLabelsOf(incoming.Namespace);
        foreach (var other in session.PodLabels.ScoringOthers)
        {
            if (other == pod)
            {
                continue;
            }

            var labels = NodeLabelsOf(session, other);
            var terms = session.Snapshot.Pods[other].Constraints.PodAffinity;
            foreach (var term in terms.RequiredAffinity)
            {
                AddIfMatches(term, HardPodAffinityWeight, incoming, namespaceLabels, labels, scores);
            }

            foreach (var weighted in terms.PreferredAffinity)
            {
                AddIfMatches(weighted.Term, weighted.Weight, incoming, namespaceLabels, labels, scores);
            }

            foreach (var weighted in terms.PreferredAntiAffinity)
            {
                AddIfMatches(weighted.Term, -weighted.Weight, incoming, namespaceLabels, labels, scores);
            }
        }

        return scores;
    }

    /// <summary>A node's raw score: the sum of its domains' scores.</summary>
    public static long ScoreOf(Dictionary<string, Dictionary<string, long>> scores, Node node)
    {
        long total = 0;
        foreach (var (key, byValue) in scores)
        {
            if (node.Labels.TryGetValue(key, out var value) && byValue.TryGetValue(value, out var score))
            {
                total += score;
            }
        }

        return total;
    }

    private static void AddPreferred(ISessionView session, int pod, IReadOnlyList<WeightedPodAffinityTerm> terms, int sign, Dictionary<string, Dictionary<string, long>> scores)
    {
        foreach (var weighted in terms)
        {
            if (weighted.Term.Selector is not { } selector)
            {
                continue;
            }

            foreach (var other in session.PodLabels.Candidates(selector))
            {
                if (other != pod && Matches(session, weighted.Term, other) && NodeLabelsOf(session, other).TryGetValue(weighted.Term.TopologyKey, out var value))
                {
                    Add(scores, weighted.Term.TopologyKey, value, sign * weighted.Weight);
                }
            }
        }
    }

    private static void AddIfMatches(PodAffinityTerm term, long weight, Pod incoming, IReadOnlyDictionary<string, string> namespaceLabels, IReadOnlyDictionary<string, string> nodeLabels, Dictionary<string, Dictionary<string, long>> scores)
    {
        if (term.Matches(incoming, namespaceLabels) && nodeLabels.TryGetValue(term.TopologyKey, out var value))
        {
            Add(scores, term.TopologyKey, value, weight);
        }
    }

    private static void Add(Dictionary<string, Dictionary<string, long>> scores, string key, string value, long weight)
    {
        if (!scores.TryGetValue(key, out var byValue))
        {
            scores[key] = byValue = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        byValue[value] = byValue.GetValueOrDefault(value) + weight;
    }

    private static bool MatchesAll(ISessionView session, IReadOnlyList<PodAffinityTerm> terms, int other)
    {
        foreach (var term in terms)
        {
            if (!Matches(session, term, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(ISessionView session, PodAffinityTerm term, int other)
    {
        var pod = session.Snapshot.Pods[other];
        return term.Matches(pod, session.Snapshot.NamespaceLabelsOf(pod.Namespace));
    }

    private static IReadOnlyDictionary<string, string> NodeLabelsOf(ISessionView session, int pod) => session.Nodes[session.NodeOf(pod)].Node.Labels;

    private static void Increment(Dictionary<TopologyPair, int> counts, TopologyPair pair) => counts[pair] = counts.GetValueOrDefault(pair) + 1;
}
