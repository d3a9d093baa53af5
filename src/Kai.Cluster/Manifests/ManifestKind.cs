using k8s;
using k8s.Models;

namespace Kai.Cluster.Manifests;

/// <summary>
/// A kind the scheduler reads: how to deserialise it and which rules apply. Raw rules run on the YAML before
/// deserialisation (KubernetesClient throws on some bad values); typed rules run on the object.
/// </summary>
internal sealed record ManifestKind(
    string ApiVersion,
    string Kind,
    bool Namespaced,
    Func<string, bool, IKubernetesObject<V1ObjectMeta>> Deserialize,
    Action<ValidationContext>? ValidateRaw = null,
    Action<IKubernetesObject<V1ObjectMeta>, ValidationContext>? ValidateTyped = null)
{
    /// <summary>The API group ("" for core), used with kind, namespace and name to spot duplicates.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
}
