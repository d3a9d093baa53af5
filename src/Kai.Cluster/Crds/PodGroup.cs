using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A KAI gang of pods (<c>scheduling.run.ai/v2alpha2</c>, namespaced, short name <c>pg</c>).</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class PodGroup : IKubernetesObject<V1ObjectMeta>, ISpec<PodGroupSpec>, IStatus<PodGroupStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.PodGroupVersion;
    public const string KubeKind = "PodGroup";
    public const string KubePluralName = "podgroups";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    // Serialisers assign null for "metadata:" or "spec:" with no value; an empty object keeps the contract non-null.
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("spec")]
    public PodGroupSpec Spec { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("status")]
    public PodGroupStatus? Status { get; set; }
}
