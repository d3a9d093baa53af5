using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>A condition in <see cref="PodGroupStatus.Conditions"/>.</summary>
public sealed class PodGroupCondition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    // The property name camel-cases to the wire name "transitionID", which KubernetesYaml relies on.
    [JsonPropertyName("transitionID")]
    public string? TransitionID { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
