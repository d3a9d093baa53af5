using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// KubeRay's RayJob controller, for a simulation: creates a RayCluster <c>&lt;job&gt;-…</c> from
/// <c>spec.rayClusterSpec</c> and records it in <c>status.rayClusterName</c> (where KAI's pod-grouper looks it up).
/// Once the cluster is ready the job is RUNNING; with a run time (annotation <c>kai.scheduler/simulated-runtime</c> on
/// the RayJob) its entrypoint SUCCEEDS after that long, and with <c>shutdownAfterJobFinishes</c> the cluster is
/// deleted (after <c>ttlSecondsAfterFinished</c>). <c>spec.suspend</c> deletes the cluster. The submitter Job that
/// runs <c>ray job submit</c> is not created: it is not scheduled by KAI.
/// </summary>
internal sealed class RayJobController : IWorkloadController
{
    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.RayJob];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var job = (GenericObject)owner;
        var view = ObjectView.Of(job, context.Cluster.Kinds);
        var status = WorkloadContext.StatusOf(job);
        var clusters = context.Children(job, WorkloadKinds.RayCluster);
        var cluster = clusters.Find(c => c.Metadata.Name == (string?)status["rayClusterName"]) ?? clusters.FirstOrDefault();
        if (view.Boolean("spec", "suspend") == true)
        {
            await SuspendAsync(job, status, clusters, context).ConfigureAwait(false);
            return;
        }

        if ((string?)status["jobDeploymentStatus"] is "Complete" or "Failed")
        {
            await ShutDownAsync(job, view, status, cluster, context).ConfigureAwait(false);
            return;
        }

        if (cluster is null)
        {
            await CreateClusterAsync(job, view, status, context).ConfigureAwait(false);
            return;
        }

        status["rayClusterName"] = cluster.Metadata.Name;
        if (RayClusterController.IsReady(cluster) && await RunAsync(job, status, context).ConfigureAwait(false))
        {
            await ShutDownAsync(job, view, status, cluster, context).ConfigureAwait(false);
            return;
        }

        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
    }

    /// <summary>A suspended RayJob's clusters are deleted.</summary>
    private static async ValueTask SuspendAsync(GenericObject job, JsonObject status, List<GenericObject> clusters, WorkloadContext context)
    {
        foreach (var old in clusters)
        {
            await context.DeleteAsync(old).ConfigureAwait(false);
        }

        status["jobDeploymentStatus"] = "Suspended";
        status.Remove("rayClusterName");
        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
    }

    /// <summary>Creates the job's RayCluster from <c>spec.rayClusterSpec</c> (a job that selects an existing cluster creates none).</summary>
    private static async ValueTask CreateClusterAsync(GenericObject job, ObjectView view, JsonObject status, WorkloadContext context)
    {
        if (view.At("spec", "rayClusterSpec") is not { } spec)
        {
            return; // a clusterSelector job runs on a cluster it does not own: nothing to create
        }

        var cluster = await context.CreateAsync(RayClusterController.ClusterFor(job, WorkloadKinds.RayJob, spec, job.Metadata.Name + "-", "RayJob")).ConfigureAwait(false);
        status["rayClusterName"] = cluster?.Metadata.Name;
        status["jobDeploymentStatus"] = "Initializing";
        status["jobStatus"] = "PENDING";
        status["startTime"] = KubeflowJobController.Time(context.Now);
        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
    }

    /// <summary>
    /// The job runs on its ready cluster; with a simulated run time it succeeds once that has passed. Returns true when
    /// it has just completed (its status written), so the cluster is to be shut down.
    /// </summary>
    private static async ValueTask<bool> RunAsync(GenericObject job, JsonObject status, WorkloadContext context)
    {
        var now = context.Now;
        if ((string?)status["jobDeploymentStatus"] != "Running")
        {
            status["jobDeploymentStatus"] = "Running";
            status["jobStatus"] = "RUNNING";
            status["rayJobStartTime"] = KubeflowJobController.Time(now);
        }

        if (SimulatedRuntime.RuntimeOf(job.Metadata) is not { } runtime)
        {
            return false;
        }

        var started = DateTimeOffset.Parse((string)status["rayJobStartTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        if (now < started + runtime)
        {
            context.WakeAt(job, started + runtime);
            return false;
        }

        status["jobStatus"] = "SUCCEEDED";
        status["jobDeploymentStatus"] = "Complete";
        status["endTime"] = KubeflowJobController.Time(now);
        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
        return true;
    }

    private static async ValueTask ShutDownAsync(GenericObject job, ObjectView view, JsonObject status, GenericObject? cluster, WorkloadContext context)
    {
        if (cluster is null || view.Boolean("spec", "shutdownAfterJobFinishes") != true || status["endTime"] is null)
        {
            return;
        }

        var ended = DateTimeOffset.Parse((string)status["endTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        var due = ended.AddSeconds(view.Int64("spec", "ttlSecondsAfterFinished") ?? 0);
        if (context.Now >= due)
        {
            await context.DeleteAsync(cluster).ConfigureAwait(false);
        }
        else
        {
            context.WakeAt(job, due);
        }
    }
}
