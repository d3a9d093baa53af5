using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>One level of a <see cref="Topology"/>: the node label whose value names the domain.</summary>
public sealed class TopologyLevel
{
    [JsonPropertyName("nodeLabel")]
    public string? NodeLabel { get; set; }
}
