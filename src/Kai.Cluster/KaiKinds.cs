using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Cluster;

/// <summary>The kinds a KAI scheduler works with: Kubernetes' built-ins, KAI's CRDs and DRA's resource.k8s.io/v1 kinds.</summary>
public static class KaiKinds
{
    public static KindRegistry CreateRegistry()
    {
        var registry = KindRegistry.CreateWithBuiltIns();
        registry.Register<Queue>(KindScope.Cluster);
        registry.Register<PodGroup>(KindScope.Namespaced);
        registry.Register<BindRequest>(KindScope.Namespaced);
        registry.Register<Topology>(KindScope.Cluster, hasStatusSubresource: false);

        // Dynamic Resource Allocation (resource.k8s.io/v1): devices published per node, and claims on them.
        registry.Register<k8s.Models.V1DeviceClass>(KindScope.Cluster);
        registry.Register<k8s.Models.V1ResourceSlice>(KindScope.Cluster);
        registry.Register<k8s.Models.Resourcev1ResourceClaim>(KindScope.Namespaced);
        registry.Register<k8s.Models.V1ResourceClaimTemplate>(KindScope.Namespaced);
        return registry;
    }
}
