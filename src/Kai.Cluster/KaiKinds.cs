using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Cluster;

/// <summary>
/// The kinds a KAI scheduler works with: Kubernetes' built-ins, KAI's CRDs, DRA's resource.k8s.io/v1 kinds, and the workload kinds users submit
/// (Kubernetes' Job, CronJob, Deployment, ReplicaSet and StatefulSet, and the third-party kinds of
/// <see cref="WorkloadDefinitions"/>).
/// </summary>
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
        registry.Register<V1DeviceClass>(KindScope.Cluster);
        registry.Register<V1ResourceSlice>(KindScope.Cluster);
        registry.Register<Resourcev1ResourceClaim>(KindScope.Namespaced);
        registry.Register<V1ResourceClaimTemplate>(KindScope.Namespaced);

        // The workload kinds users submit; the pod-grouper and the embedded controllers read them.
        registry.Register<V1Job>(KindScope.Namespaced);
        registry.Register<V1CronJob>(KindScope.Namespaced);
        registry.Register<V1Deployment>(KindScope.Namespaced);
        registry.Register<V1ReplicaSet>(KindScope.Namespaced);
        registry.Register<V1StatefulSet>(KindScope.Namespaced);
        WorkloadDefinitions.Register(registry);
        return registry;
    }
}
