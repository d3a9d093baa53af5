namespace Kai.Scheduling.Model;

/// <summary>
/// One inter-pod (anti-)affinity term: the pods it is about (<see cref="Selector"/>, in the namespaces it names or
/// selects) and the topology key whose domains it compares. The mapper resolves the defaults: with neither
/// namespaces nor a namespace selector, <see cref="Namespaces"/> holds the pod's own namespace; a term's
/// <c>matchLabelKeys</c> and <c>mismatchLabelKeys</c> are already merged into <see cref="Selector"/>, as the API
/// server does.
/// </summary>
/// <param name="Selector">Which pods the term is about; null (no selector given) matches no pod.</param>
/// <param name="Namespaces">Namespaces the pods may be in.</param>
/// <param name="NamespaceSelector">Further namespaces, by their labels (empty: every namespace), or null.</param>
/// <param name="TopologyKey">The node label whose values are the term's domains.</param>
public sealed record PodAffinityTerm(LabelSelector? Selector, IReadOnlyList<string> Namespaces, LabelSelector? NamespaceSelector, string TopologyKey)
{
    /// <summary>Whether <paramref name="pod"/> is one of the pods this term is about.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="namespaceLabels">The labels of the pod's namespace.</param>
    public bool Matches(Pod pod, IReadOnlyDictionary<string, string> namespaceLabels) =>
        Selector is { } selector && MatchesNamespace(pod.Namespace, namespaceLabels) && selector.Matches(pod.Labels);

    public bool MatchesNamespace(string @namespace, IReadOnlyDictionary<string, string> namespaceLabels)
    {
        foreach (var name in Namespaces)
        {
            if (string.Equals(name, @namespace, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return NamespaceSelector is { } selector && selector.Matches(namespaceLabels);
    }

    public override string ToString() =>
        $"{TopologyKey}:[{Selector}]@{string.Join(',', Namespaces)}" + (NamespaceSelector is { } ns ? $"+ns[{ns}]" : string.Empty);
}

/// <summary>A preferred term with its weight (1–100).</summary>
public sealed record WeightedPodAffinityTerm(int Weight, PodAffinityTerm Term)
{
    public override string ToString() => $"{Weight}*{Term}";
}
