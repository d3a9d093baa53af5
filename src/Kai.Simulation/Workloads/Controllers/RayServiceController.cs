using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// KubeRay's RayService controller, for a simulation: serves on a RayCluster <c>&lt;service&gt;-raycluster-…</c> made
/// from <c>spec.rayClusterConfig</c>, named in <c>status.pendingServiceStatus.rayClusterName</c> until it is ready and
/// in <c>status.activeServiceStatus.rayClusterName</c> after (KAI's pod-grouper reads the active one, else the
/// pending one). Ray Serve applications themselves are not simulated.
/// </summary>
internal sealed class RayServiceController : IWorkloadController
{
    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.RayService];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var service = (GenericObject)owner;
        var view = ObjectView.Of(service, context.Cluster.Kinds);
        var status = WorkloadContext.StatusOf(service);
        var cluster = context.Children(service, WorkloadKinds.RayCluster).FirstOrDefault();
        if (cluster is null)
        {
            if (view.At("spec", "rayClusterConfig") is not { } spec)
            {
                return;
            }

            cluster = await context.CreateAsync(RayClusterController.ClusterFor(service, WorkloadKinds.RayService, spec, service.Metadata.Name + "-raycluster-", "RayService")).ConfigureAwait(false);
            if (cluster is null)
            {
                return;
            }
        }

        var ready = RayClusterController.IsReady(cluster);
        status[ready ? "activeServiceStatus" : "pendingServiceStatus"] = new JsonObject { ["rayClusterName"] = cluster.Metadata.Name };
        if (ready)
        {
            status.Remove("pendingServiceStatus");
        }

        status["serviceStatus"] = ready ? "Running" : "WaitForServeDeploymentReady";
        await context.WriteStatusAsync(service, status).ConfigureAwait(false);
    }
}
