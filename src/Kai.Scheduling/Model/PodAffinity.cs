namespace Kai.Scheduling.Model;

/// <summary>
/// A pod's inter-pod affinity and anti-affinity (<c>spec.affinity.podAffinity</c> and <c>podAntiAffinity</c>):
/// required terms are predicates, preferred ones scores. Immutable.
/// </summary>
public sealed class PodAffinity
{
    public static PodAffinity None { get; } = new([], [], [], []);

    public PodAffinity(
        IReadOnlyList<PodAffinityTerm> requiredAffinity,
        IReadOnlyList<PodAffinityTerm> requiredAntiAffinity,
        IReadOnlyList<WeightedPodAffinityTerm> preferredAffinity,
        IReadOnlyList<WeightedPodAffinityTerm> preferredAntiAffinity)
    {
        RequiredAffinity = requiredAffinity;
        RequiredAntiAffinity = requiredAntiAffinity;
        PreferredAffinity = preferredAffinity;
        PreferredAntiAffinity = preferredAntiAffinity;
    }

    /// <summary>Every term must have a matching pod in the node's domain.</summary>
    public IReadOnlyList<PodAffinityTerm> RequiredAffinity { get; }

    /// <summary>No term may have a matching pod in the node's domain.</summary>
    public IReadOnlyList<PodAffinityTerm> RequiredAntiAffinity { get; }

    public IReadOnlyList<WeightedPodAffinityTerm> PreferredAffinity { get; }

    public IReadOnlyList<WeightedPodAffinityTerm> PreferredAntiAffinity { get; }

    public bool IsEmpty => RequiredAffinity.Count == 0 && RequiredAntiAffinity.Count == 0 && PreferredAffinity.Count == 0 && PreferredAntiAffinity.Count == 0;

    /// <summary>Whether the pod states any preference (scored even where no other pod has affinity).</summary>
    public bool HasPreferred => PreferredAffinity.Count > 0 || PreferredAntiAffinity.Count > 0;

    /// <summary>Terms that other pods' placement is scored by (KAI scores required affinity of existing pods with weight 1).</summary>
    public bool ScoresOthers => RequiredAffinity.Count > 0 || PreferredAffinity.Count > 0 || PreferredAntiAffinity.Count > 0;

    public override string ToString() =>
        string.Join(';', RequiredAffinity.Select(t => "ra:" + t)
            .Concat(RequiredAntiAffinity.Select(t => "raa:" + t))
            .Concat(PreferredAffinity.Select(t => "pa:" + t))
            .Concat(PreferredAntiAffinity.Select(t => "paa:" + t)));
}
