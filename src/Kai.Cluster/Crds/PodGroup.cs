using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A KAI gang of pods (<c>scheduling.run.ai/v2alpha2</c>, namespaced, short name <c>pg</c>).</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class PodGroup : CustomResource<PodGroupSpec>, IStatus<PodGroupStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.PodGroupVersion;
    public const string KubeKind = "PodGroup";
    public const string KubePluralName = "podgroups";

    public PodGroup()
        : base(KubeGroup, KubeApiVersion, KubeKind)
    {
    }

    [JsonPropertyName("status")]
    public PodGroupStatus? Status { get; set; }
}
