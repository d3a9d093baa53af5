using k8s.Models;
using Kai.Cluster.Workloads;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// MPIJobs (v1 and v2beta1): the Kubeflow grouping over <c>mpiReplicaSpecs</c>, which needs Launcher and Worker.
/// With <c>launcherCreationPolicy: WaitForWorkersReady</c> the launcher is not counted in minMember until a
/// launcher pod (labels <c>training.kubeflow.org/job-name</c> and <c>job-role=launcher</c>) exists.
/// </summary>
internal sealed class MpiJobGrouper(KubeflowGrouper kubeflow) : IGrouper
{
    public const string JobNameLabel = "training.kubeflow.org/job-name";
    public const string JobRoleLabel = "training.kubeflow.org/job-role";

    public string Name => "MPI Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await kubeflow.GroupAsync(topOwner, context, "mpiReplicaSpecs", ["Launcher", "Worker"]).ConfigureAwait(false);
        if (topOwner.String("spec", "launcherCreationPolicy") == "WaitForWorkersReady" && !await LauncherExistsAsync(topOwner, context).ConfigureAwait(false))
        {
            var launchers = topOwner.Int64("spec", "mpiReplicaSpecs", "Launcher", "replicas");
            if (launchers is null or 0)
            {
                throw new GroupingException($"the type of the job {topOwner.Name} doesn't allow for 0 mpiReplicaSpecs pods. Please fix the replica field");
            }

            metadata.MinAvailable -= (int)launchers.Value;
        }

        return metadata;
    }

    private static async ValueTask<bool> LauncherExistsAsync(ObjectView job, GroupingContext context)
    {
        var pods = await context.Cluster.ListAsync<V1Pod>(context.CancellationToken).ConfigureAwait(false);
        return pods.Items.Any(p =>
            p.Metadata.NamespaceProperty == job.Namespace
            && p.Metadata.DeletionTimestamp is null
            && p.Metadata.Labels is { } labels
            && labels.TryGetValue(JobNameLabel, out var name) && name == job.Name
            && labels.TryGetValue(JobRoleLabel, out var role) && role == "launcher");
    }
}
