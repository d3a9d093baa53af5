using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>A named subset of a pod group's pods with its own minimum and topology.</summary>
public sealed class SubGroup
{
    /// <summary>Required; lowercase alphanumerics and '-'.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Pods of this (leaf) subgroup that must be placed together; 0 means none are required.</summary>
    [JsonPropertyName("minMember")]
    public int? MinMember { get; set; }

    /// <summary>Direct child subgroups that must be satisfied (mid-level subgroups); exclusive with <see cref="MinMember"/>.</summary>
    [JsonPropertyName("minSubGroup")]
    public int? MinSubGroup { get; set; }

    /// <summary>Name of another subgroup of the same pod group.</summary>
    [JsonPropertyName("parent")]
    public string? Parent { get; set; }

    [JsonPropertyName("topologyConstraint")]
    public TopologyConstraint? TopologyConstraint { get; set; }
}
