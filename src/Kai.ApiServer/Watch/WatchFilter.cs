using k8s;
using k8s.Models;
using Kai.ApiServer.Resources;
using Kai.ApiServer.Selectors;

namespace Kai.ApiServer.Watch;

/// <summary>Which objects a watch sees: its namespace (null for all) and its label and field selectors.</summary>
internal sealed record WatchFilter(ApiResource Resource, string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    /// <summary>True when only the namespace filters, which never changes for an object: no transitions to track.</summary>
    public bool IsNamespaceOnly => Labels.IsEverything && Fields.IsEverything;

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj) =>
        (Namespace is null || obj.Metadata.NamespaceProperty == Namespace)
        && (Labels.IsEverything || Labels.Matches(obj.Metadata.Labels))
        && (Fields.IsEverything || Fields.Matches(obj, Resource));
}
