using Kai.Scheduling.Model;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The pods that occupy nodes in this session (active-used statuses), by label, and those with inter-pod affinity
/// terms that concern other pods — so an affinity check visits the pods a selector can match, not every pod.
/// Built on first use from the session's state, then kept current by <see cref="Session.Apply"/>; a session whose
/// pods have no affinity never builds it.
/// </summary>
public sealed class PodLabelIndex
{
    private readonly Session _session;
    private readonly HashSet<int> _all = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<int>>> _byLabel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _withKey = new(StringComparer.Ordinal);
    private readonly HashSet<int> _withRequiredAntiAffinity = [];
    private readonly HashSet<int> _scoringOthers = [];

    internal PodLabelIndex(Session session)
    {
        _session = session;
        for (var pod = 0; pod < session.Snapshot.Pods.Count; pod++)
        {
            if (session.StatusOf(pod).IsActiveUsed() && session.NodeOf(pod) >= 0)
            {
                Add(pod);
            }
        }
    }

    /// <summary>Changes whenever a pod arrives on, leaves or changes its node.</summary>
    public int Version { get; private set; }

    /// <summary>Changes whenever a pod with required anti-affinity arrives on, leaves or changes its node.</summary>
    public int AntiAffinityVersion { get; private set; }

    /// <summary>Pods on nodes with required anti-affinity terms (they keep matching pods out of their domains).</summary>
    public IReadOnlyCollection<int> WithRequiredAntiAffinity => _withRequiredAntiAffinity;

    /// <summary>Pods on nodes whose terms score other pods' placement (required or preferred affinity, preferred anti-affinity).</summary>
    public IReadOnlyCollection<int> ScoringOthers => _scoringOthers;

    /// <summary>
    /// Pods on nodes that <paramref name="selector"/> may match — a superset, narrowed by its most selective
    /// requirement (a label pair, an In list, or a key that must exist); the caller checks each pod.
    /// </summary>
    public IEnumerable<int> Candidates(LabelSelector selector)
    {
        IEnumerable<int>? best = null;
        var bestSize = int.MaxValue;
        foreach (var (key, value) in selector.MatchLabels)
        {
            var pods = PodsWith(key, value);
            if (pods.Count < bestSize)
            {
                (best, bestSize) = (pods, pods.Count);
            }
        }

        foreach (var requirement in selector.MatchExpressions)
        {
            switch (requirement.Operator)
            {
                case SelectorOperator.In:
                    var size = requirement.Values.Distinct().Sum(v => PodsWith(requirement.Key, v).Count);
                    if (size < bestSize)
                    {
                        (best, bestSize) = (requirement.Values.Distinct().SelectMany(v => PodsWith(requirement.Key, v)), size);
                    }

                    break;
                case SelectorOperator.Exists:
                    var withKey = _withKey.GetValueOrDefault(requirement.Key);
                    if (withKey < bestSize)
                    {
                        (best, bestSize) = (_byLabel.TryGetValue(requirement.Key, out var byValue) ? byValue.Values.SelectMany(p => p) : [], withKey);
                    }

                    break;
            }
        }

        return best ?? _all;
    }

    /// <summary>Keeps the index current: the pod left <paramref name="fromNode"/> and now occupies <paramref name="toNode"/> (-1: none).</summary>
    internal void OnMoved(int pod, int fromNode, int toNode)
    {
        if (fromNode == toNode)
        {
            return;
        }

        if (fromNode >= 0)
        {
            Remove(pod);
        }

        if (toNode >= 0)
        {
            Add(pod);
        }
    }

    private static readonly HashSet<int> NoPods = [];

    private HashSet<int> PodsWith(string key, string value) =>
        _byLabel.TryGetValue(key, out var byValue) && byValue.TryGetValue(value, out var pods) ? pods : NoPods;

    private void Add(int pod)
    {
        var definition = _session.Snapshot.Pods[pod];
        _all.Add(pod);
        foreach (var (key, value) in definition.Labels)
        {
            if (!_byLabel.TryGetValue(key, out var byValue))
            {
                _byLabel[key] = byValue = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
            }

            if (!byValue.TryGetValue(value, out var pods))
            {
                byValue[value] = pods = [];
            }

            pods.Add(pod);
            _withKey[key] = _withKey.GetValueOrDefault(key) + 1;
        }

        Track(definition.Constraints.PodAffinity, pod, add: true);
        Version++;
    }

    private void Remove(int pod)
    {
        var definition = _session.Snapshot.Pods[pod];
        _all.Remove(pod);
        foreach (var (key, value) in definition.Labels)
        {
            _byLabel[key][value].Remove(pod);
            _withKey[key]--;
        }

        Track(definition.Constraints.PodAffinity, pod, add: false);
        Version++;
    }

    private void Track(PodAffinity affinity, int pod, bool add)
    {
        if (affinity.RequiredAntiAffinity.Count > 0)
        {
            _ = add ? _withRequiredAntiAffinity.Add(pod) : _withRequiredAntiAffinity.Remove(pod);
            AntiAffinityVersion++;
        }

        if (affinity.ScoresOthers)
        {
            _ = add ? _scoringOthers.Add(pod) : _scoringOthers.Remove(pod);
        }
    }
}
