using k8s;
using k8s.Models;

namespace Kai.ApiServer.Admission;

/// <summary>
/// What the API server does to an object of one resource before storing it — defaulting, admission plugins,
/// validation — for creates and main-resource updates (not status writes).
/// </summary>
internal interface IAdmission
{
    /// <summary>
    /// Defaults and checks <paramref name="obj"/>, which is private to the request and may be changed in place.
    /// <paramref name="old"/> is the stored object on update, null on create.
    /// </summary>
    /// <exception cref="Http.ApiException">The object is rejected (403, 422, …).</exception>
    void Admit(ServerContext context, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old);
}
