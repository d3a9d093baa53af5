using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>
/// What every custom resource of ours shares: type meta, object meta and a spec that is never null. Each kind
/// adds its <see cref="KubernetesEntityAttribute"/> and, where it has one, its status.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>
    where TSpec : new()
{
    protected CustomResource(string group, string version, string kind)
        : this(group + "/" + version, kind)
    {
    }

    /// <param name="apiVersion">Group and version ("scheduling.run.ai/v1alpha2"): a constant, so that a kind created in bulk does not build it per object.</param>
    /// <param name="kind">The kind.</param>
    protected CustomResource(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    // Serialisers assign null for "metadata:" or "spec:" with no value; an empty object keeps the contract non-null.
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set => field = value ?? new(); } = new();
}
