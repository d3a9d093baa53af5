using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Simulation.Workloads;

/// <summary>
/// The part of one workload operator a simulation needs: bring the objects an owner controls (pods, Jobs,
/// StatefulSets...) in line with its spec, and report its status. Level-triggered and idempotent: called whenever
/// the owner or anything below it changed, it looks at the current state and makes the next writes.
/// </summary>
internal interface IWorkloadController
{
    /// <summary>The kinds (storage versions) this controller reconciles.</summary>
    IReadOnlyList<KindKey> Kinds { get; }

    ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context);
}
