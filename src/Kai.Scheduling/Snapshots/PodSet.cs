using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots;

/// <summary>One leaf pod set of a gang: the default set, or one sub-group, with its own minimum.</summary>
public sealed class PodSet
{
    internal PodSet(string name, int minAvailable, int[] members, TopologyConstraint? topology = null)
    {
        Name = name;
        MinAvailable = minAvailable;
        Members = members;
        Topology = topology;
    }

    public string Name { get; }

    /// <summary>Pods that must be placed together before the set counts as satisfied.</summary>
    public int MinAvailable { get; }

    /// <summary>Snapshot pod indices of the members.</summary>
    public int[] Members { get; }

    /// <summary>The sub-group's own topology constraint (never the pod group's: that belongs to the root <see cref="SubGroupSet"/>).</summary>
    public TopologyConstraint? Topology { get; }

    public override string ToString() => $"{Name} (min {MinAvailable}, {Members.Length} pods)";
}
