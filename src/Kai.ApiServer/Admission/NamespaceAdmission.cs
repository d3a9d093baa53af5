using k8s;
using k8s.Models;

namespace Kai.ApiServer.Admission;

/// <summary>A new namespace is Active and carries the <c>kubernetes</c> finalizer, as the API server defaults it.</summary>
internal sealed class NamespaceAdmission : IAdmission
{
    public void Admit(ServerContext context, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        var ns = (V1Namespace)obj;
        if (old is null)
        {
            ns.Status ??= new V1NamespaceStatus();
            ns.Status.Phase ??= "Active";
            ns.Spec ??= new V1NamespaceSpec();
            ns.Spec.Finalizers ??= ["kubernetes"];
        }
    }
}
