using k8s;
using k8s.Models;

namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>Where a reflector delivers what it learns; the cluster applies it to its cache and feeds under one lock.</summary>
internal interface IReflectorSink
{
    /// <summary>A full list: the cache is replaced, and the difference is published (synthetic deletes for what is gone).</summary>
    void ApplyList(KindCache cache, List<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion);

    /// <summary>One watch event (Added, Modified or Deleted).</summary>
    void ApplyEvent(KindCache cache, WatchEventType type, IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>A bookmark: nothing changed up to <paramref name="resourceVersion"/>.</summary>
    void ApplyBookmark(KindCache cache, string resourceVersion);
}
