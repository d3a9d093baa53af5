namespace Kai.Scheduling.Snapshots;

/// <summary>One leaf pod set of a gang: the default set, or one sub-group, with its own minimum.</summary>
public sealed class PodSet
{
    internal PodSet(string name, int minAvailable, int[] members)
    {
        Name = name;
        MinAvailable = minAvailable;
        Members = members;
    }

    public string Name { get; }

    /// <summary>Pods that must be placed together before the set counts as satisfied.</summary>
    public int MinAvailable { get; }

    /// <summary>Snapshot pod indices of the members.</summary>
    public int[] Members { get; }

    public override string ToString() => $"{Name} (min {MinAvailable}, {Members.Length} pods)";
}
