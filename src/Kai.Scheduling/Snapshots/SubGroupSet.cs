using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// A sub-group that holds other sub-groups (KAI's SubGroupSet); the root is the pod group itself, with the group's
/// topology constraint. Leaves are the group's <see cref="PodSet"/>s, by index. The snapshot builds this tree only
/// for pod groups with a topology constraint somewhere (<see cref="ClusterSnapshot.SubGroupTreeOf"/>): placement
/// then walks it, each level choosing the nodes its pods may use.
/// </summary>
public sealed class SubGroupSet
{
    private readonly List<SubGroupSet> _sets = [];
    private readonly List<int> _podSets = [];

    internal SubGroupSet(string name, TopologyConstraint? topology, SubGroupSet? parent)
    {
        Name = name;
        Topology = topology;
        Parent = parent;
    }

    /// <summary>The sub-group's name; empty for the root (the pod group).</summary>
    public string Name { get; }

    public bool IsRoot => Parent is null;

    public TopologyConstraint? Topology { get; }

    public SubGroupSet? Parent { get; }

    /// <summary>Child sub-groups that hold sub-groups themselves, by name.</summary>
    public IReadOnlyList<SubGroupSet> Sets => _sets;

    /// <summary>Child leaf sub-groups: indices into <see cref="ClusterSnapshot.PodSetsOf"/>.</summary>
    public IReadOnlyList<int> PodSets => _podSets;

    /// <summary>Every pod set below this one, at any depth.</summary>
    public int[] AllPodSets { get; private set; } = [];

    /// <summary>Whether this set, or any set or pod set below it, has a topology constraint.</summary>
    public bool HasTopology { get; private set; }

    public override string ToString() => IsRoot ? "(pod group)" : Name;

    internal void Add(SubGroupSet set) => _sets.Add(set);

    internal void Add(int podSet) => _podSets.Add(podSet);

    /// <summary>Sorts children by name and fills the derived properties, bottom-up.</summary>
    internal void Complete(IReadOnlyList<PodSet> podSets)
    {
        _sets.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var all = new List<int>(_podSets);
        var hasTopology = Topology is not null || _podSets.Exists(p => podSets[p].Topology is not null);
        foreach (var set in _sets)
        {
            set.Complete(podSets);
            all.AddRange(set.AllPodSets);
            hasTopology |= set.HasTopology;
        }

        all.Sort();
        AllPodSets = [.. all];
        HasTopology = hasTopology;
    }
}
