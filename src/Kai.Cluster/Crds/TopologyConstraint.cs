using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Topology placement of a pod group or subgroup; levels are node-label keys of the named <see cref="Topology"/>.</summary>
public sealed class TopologyConstraint
{
    [JsonPropertyName("topology")]
    public string? Topology { get; set; }

    [JsonPropertyName("requiredTopologyLevel")]
    public string? RequiredTopologyLevel { get; set; }

    [JsonPropertyName("preferredTopologyLevel")]
    public string? PreferredTopologyLevel { get; set; }
}
