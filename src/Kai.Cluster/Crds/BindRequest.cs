using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>
/// The scheduler's request to bind a pod (<c>scheduling.run.ai/v1alpha2</c>, namespaced), named after the pod
/// and carried out by the binder.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class BindRequest : CustomResource<BindRequestSpec>, IStatus<BindRequestStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.BindRequestVersion;
    public const string KubeKind = "BindRequest";
    public const string KubePluralName = "bindrequests";

    public BindRequest()
        : base(KubeGroup + "/" + KubeApiVersion, KubeKind)
    {
    }

    [JsonPropertyName("status")]
    public BindRequestStatus? Status { get; set; }
}
