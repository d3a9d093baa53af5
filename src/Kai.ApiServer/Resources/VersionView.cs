using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// Another served version of a generic custom resource, with the CRD's conversion strategy None: objects are
/// stored in the storage version and only their apiVersion changes on the way in and out.
/// </summary>
internal sealed class VersionView(string servedApiVersion, string storedApiVersion) : ObjectView
{
    public override Type WireType => typeof(GenericObject);

    public override IKubernetesObject<V1ObjectMeta> ToWire(IKubernetesObject<V1ObjectMeta> stored) => WithApiVersion(stored, servedApiVersion);

    public override IKubernetesObject<V1ObjectMeta> FromWire(IKubernetesObject<V1ObjectMeta> wire) => WithApiVersion(wire, storedApiVersion);

    private static GenericObject WithApiVersion(IKubernetesObject<V1ObjectMeta> obj, string apiVersion)
    {
        var copy = KubeObjects.ShallowCopy((GenericObject)obj);
        copy.ApiVersion = apiVersion;
        return copy;
    }
}
