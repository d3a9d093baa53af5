using Kai.Cluster.Workloads;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Kubeflow training jobs (TFJob, XGBoostJob, JAXJob, and the base of PyTorchJob and MPIJob): one pod group per
/// job whose minMember is <c>spec.runPolicy.schedulingPolicy.minAvailable</c> when set, else the sum of the
/// replicas of every replica type (each must be above 0; some kinds require certain replica types).
/// </summary>
internal sealed class KubeflowGrouper(DefaultGrouper defaults)
{
    /// <summary>Pod label with the replica type ("master", "worker"...), set by the training operator.</summary>
    public const string ReplicaTypeLabel = "training.kubeflow.org/replica-type";

    /// <summary>Pod label with the replica's index within its type.</summary>
    public const string ReplicaIndexLabel = "training.kubeflow.org/replica-index";

    public DefaultGrouper Defaults => defaults;

    /// <summary>A grouper for a kind whose replica types are under <c>spec.&lt;replicaSpecsField&gt;</c>.</summary>
    public IGrouper For(string kind, string replicaSpecsField, params string[] requiredReplicaTypes) =>
        new Distributed(this, $"{kind} Grouper", replicaSpecsField, requiredReplicaTypes);

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView job, GroupingContext context, string replicaSpecsField, IReadOnlyList<string> requiredReplicaTypes)
    {
        var metadata = await defaults.GroupAsync(job, [], context).ConfigureAwait(false);
        if (job.At("spec", "runPolicy", "schedulingPolicy", "minAvailable") is { } minAvailable)
        {
            metadata.MinAvailable = (int)(Json.AsInt64(minAvailable)
                ?? throw new GroupingException($"spec.runPolicy.schedulingPolicy.minAvailable of {job} is {Json.Describe(minAvailable)}; it must be a whole number"));
            return metadata;
        }

        metadata.MinAvailable = TotalReplicas(job, replicaSpecsField, requiredReplicaTypes);
        return metadata;
    }

    private static int TotalReplicas(ObjectView job, string replicaSpecsField, IReadOnlyList<string> requiredReplicaTypes)
    {
        if (job.At("spec", replicaSpecsField) is not { ValueKind: System.Text.Json.JsonValueKind.Object } specs)
        {
            throw new GroupingException($"the type of the job {job.Name} doesn't have a {replicaSpecsField} field. Please fix the replica field");
        }

        foreach (var required in requiredReplicaTypes)
        {
            if (!specs.TryGetProperty(required, out _))
            {
                throw new GroupingException($"the type of the job {job.Name} doesn't have a {required} replica spec which is required. Please fix the replica field");
            }
        }

        long total = 0;
        foreach (var (type, spec) in Json.Fields(specs))
        {
            var replicas = Json.Int64(spec, "replicas");
            if (replicas is null or 0)
            {
                throw new GroupingException($"the type of the job {job.Name} doesn't allow for 0 {type} pods. Please fix the replica field");
            }

            total += replicas.Value;
        }

        if (total <= 0)
        {
            throw new GroupingException($"failed calculate number of pods for a distributed job {job.Name}. Must be greater than 0, but got {total}");
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    private sealed class Distributed(KubeflowGrouper kubeflow, string name, string replicaSpecsField, IReadOnlyList<string> requiredReplicaTypes) : IGrouper
    {
        public string Name => name;

        public ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context) =>
            kubeflow.GroupAsync(topOwner, context, replicaSpecsField, requiredReplicaTypes);
    }
}
