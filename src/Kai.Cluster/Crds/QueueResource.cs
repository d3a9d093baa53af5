using System.Text.Json.Serialization;

namespace Kai.Cluster.Crds;

/// <summary>Quota, over-quota weight and limit of one resource; -1 means unlimited for quota and limit.</summary>
public sealed class QueueResource
{
    [JsonPropertyName("quota")]
    public double? Quota { get; set; }

    [JsonPropertyName("overQuotaWeight")]
    public double? OverQuotaWeight { get; set; }

    [JsonPropertyName("limit")]
    public double? Limit { get; set; }
}
