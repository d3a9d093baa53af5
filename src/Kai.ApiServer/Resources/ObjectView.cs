using k8s;
using k8s.Models;

namespace Kai.ApiServer.Resources;

/// <summary>
/// A resource served in another shape than it is stored in: events.k8s.io/v1 Events over core/v1 Events, or
/// another version of a custom resource (conversion strategy None: only apiVersion differs).
/// </summary>
internal abstract class ObjectView
{
    /// <summary>The C# type requests and responses use.</summary>
    public abstract Type WireType { get; }

    public abstract IKubernetesObject<V1ObjectMeta> ToWire(IKubernetesObject<V1ObjectMeta> stored);

    public abstract IKubernetesObject<V1ObjectMeta> FromWire(IKubernetesObject<V1ObjectMeta> wire);
}
