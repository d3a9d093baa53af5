using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Manifests;

/// <summary>
/// A kind the scheduler reads: its registration (apiVersion, kind, scope), how to deserialise it and which rules
/// apply. Raw rules run on the YAML before deserialisation (KubernetesClient throws on some bad values); typed rules
/// run on the object.
/// </summary>
internal sealed record ManifestKind(
    KindInfo Info,
    Func<string, bool, IKubernetesObject<V1ObjectMeta>> Deserialize,
    Action<ValidationContext>? ValidateRaw = null,
    Action<IKubernetesObject<V1ObjectMeta>, ValidationContext>? ValidateTyped = null)
{
    public KindKey Key => Info.Key;

    public string ApiVersion => Info.Key.ApiVersion;

    public string Kind => Info.Key.Kind;

    public bool Namespaced => Info.IsNamespaced;
}
