using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>
/// The scheduler's request to bind a pod (<c>scheduling.run.ai/v1alpha2</c>, namespaced), named after the pod
/// and carried out by the binder.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class BindRequest : IKubernetesObject<V1ObjectMeta>, ISpec<BindRequestSpec>, IStatus<BindRequestStatus?>
{
    public const string KubeGroup = KaiApi.SchedulingGroup;
    public const string KubeApiVersion = KaiApi.BindRequestVersion;
    public const string KubeKind = "BindRequest";
    public const string KubePluralName = "bindrequests";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeGroup + "/" + KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    // Serialisers assign null for "metadata:" or "spec:" with no value; an empty object keeps the contract non-null.
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("spec")]
    public BindRequestSpec Spec { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("status")]
    public BindRequestStatus? Status { get; set; }
}
