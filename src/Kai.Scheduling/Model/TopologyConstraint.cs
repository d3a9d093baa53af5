namespace Kai.Scheduling.Model;

/// <summary>
/// Where the pods of a pod group or sub-group go in a <see cref="Model.Topology"/> (spec.topologyConstraint):
/// all inside one domain of the required level, and packed into as few domains of the preferred level as
/// possible. Levels are node-label keys of the topology; either may be absent.
/// </summary>
public sealed record TopologyConstraint(string Topology, string? RequiredLevel = null, string? PreferredLevel = null)
{
    /// <summary>A canonical text (equal constraints, equal text), for scheduling signatures.</summary>
    public string Signature => $"{Topology}/{RequiredLevel}/{PreferredLevel}";

    public override string ToString() =>
        $"topology {Topology}" + (RequiredLevel is null ? string.Empty : $", required {RequiredLevel}") + (PreferredLevel is null ? string.Empty : $", preferred {PreferredLevel}");
}
