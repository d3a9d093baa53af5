using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Desired state of a <see cref="Topology"/>.</summary>
public sealed class TopologySpec
{
    /// <summary>1 to 16 unique levels, ordered top-down; <c>kubernetes.io/hostname</c> may only be the last.</summary>
    [JsonPropertyName("levels")]
    public IList<TopologyLevel>? Levels { get; set; }
}
