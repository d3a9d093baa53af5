using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Cluster;

/// <summary>The kinds a KAI scheduler works with: Kubernetes' built-ins plus KAI's CRDs.</summary>
public static class KaiKinds
{
    public static KindRegistry CreateRegistry()
    {
        var registry = KindRegistry.CreateWithBuiltIns();
        registry.Register<Queue>(KindScope.Cluster);
        registry.Register<PodGroup>(KindScope.Namespaced);
        registry.Register<BindRequest>(KindScope.Namespaced);
        registry.Register<Topology>(KindScope.Cluster, hasStatusSubresource: false);
        return registry;
    }
}
