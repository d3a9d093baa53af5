using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Kubernetes.Rest;

/// <summary>
/// An answer read for its <c>metadata</c> only: the reader skips every other field without building it, for writes
/// whose caller already holds the rest of the object (an event as drafted).
/// </summary>
internal sealed class MetadataAnswer
{
    [JsonPropertyName("metadata")]
    public V1ObjectMeta? Metadata { get; set; }
}
