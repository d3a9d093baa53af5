using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Observed state of a <see cref="PodGroup"/>. KAI writes only resourcesStatus and schedulingConditions.</summary>
public sealed class PodGroupStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("conditions")]
    public IList<PodGroupCondition>? Conditions { get; set; }

    [JsonPropertyName("running")]
    public int? Running { get; set; }

    [JsonPropertyName("succeeded")]
    public int? Succeeded { get; set; }

    [JsonPropertyName("failed")]
    public int? Failed { get; set; }

    [JsonPropertyName("pending")]
    public int? Pending { get; set; }

    [JsonPropertyName("resourcesStatus")]
    public PodGroupResourcesStatus? ResourcesStatus { get; set; }

    [JsonPropertyName("schedulingConditions")]
    public IList<SchedulingCondition>? SchedulingConditions { get; set; }
}
