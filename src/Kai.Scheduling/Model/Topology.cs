namespace Kai.Scheduling.Model;

/// <summary>
/// A physical topology of the cluster (KAI's <c>Topology</c>, <c>kai.scheduler/v1alpha1</c>): node-label keys,
/// top level first. A node belongs to the topology only when it carries every level's label; the label values
/// down to a level name the node's domain at that level.
/// </summary>
public sealed class Topology
{
    public required string Name { get; init; }

    /// <summary>Node-label keys, top (widest) level first, e.g. zone, rack, hostname.</summary>
    public required IReadOnlyList<string> Levels { get; init; }

    public override string ToString() => $"{Name} ({string.Join(" > ", Levels)})";
}
