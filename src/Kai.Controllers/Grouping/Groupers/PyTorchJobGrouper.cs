using System.Globalization;
using System.Text.Json;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// PyTorchJobs: minMember is <c>schedulingPolicy.minAvailable</c>, else <c>elasticPolicy.minReplicas</c>, else the
/// sum of the replicas. Subgroups <c>master</c> (its replicas) and <c>worker</c> (the rest of minMember); a
/// <c>kai.scheduler/segment-size</c> annotation (on the pod or the Worker template) splits the workers into
/// <c>worker-&lt;i&gt;</c> child subgroups of that size, with the segment topology annotations. Pods join by their
/// <c>training.kubeflow.org/replica-type</c> and <c>replica-index</c> labels.
/// </summary>
internal sealed class PyTorchJobGrouper(KubeflowGrouper kubeflow) : IGrouper
{
    private const string Master = "Master";
    private const string Worker = "Worker";
    private const int MaxSegments = 10_000;

    public string Name => "PyTorchJob Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await kubeflow.GroupAsync(topOwner, context, "pytorchReplicaSpecs", []).ConfigureAwait(false);
        if (topOwner.Int64("spec", "elasticPolicy", "minReplicas") is { } minReplicas)
        {
            metadata.MinAvailable = (int)minReplicas;
        }

        if (topOwner.Int64("spec", "runPolicy", "schedulingPolicy", "minAvailable") is { } minAvailable)
        {
            metadata.MinAvailable = (int)minAvailable;
        }

        var specs = topOwner.At("spec", "pytorchReplicaSpecs")!.Value;
        var masterReplicas = (int)(Json.Int64(specs, Master, "replicas") ?? 0);
        if (specs.TryGetProperty(Master, out _) && masterReplicas > 0)
        {
            var master = new SubGroupMetadata { Name = "master", MinAvailable = masterReplicas };
            if (ReplicaType(context) == "master")
            {
                master.Pods.Add(context.PodName);
            }

            metadata.SubGroups.Add(master);
        }

        if (specs.TryGetProperty(Worker, out var worker))
        {
            metadata.SubGroups.AddRange(WorkerSubGroups(worker, topOwner, context, Math.Max(0, metadata.MinAvailable - masterReplicas)));
        }

        return metadata;
    }

    private static List<SubGroupMetadata> WorkerSubGroups(JsonElement worker, ObjectView job, GroupingContext context, int workerMinAvailable)
    {
        var workerReplicas = (int)(Json.Int64(worker, "replicas") ?? 1);
        var isWorker = ReplicaType(context) == "worker";
        var workers = new SubGroupMetadata { Name = "worker", MinAvailable = workerMinAvailable };
        if (SegmentSize(worker, context) is not { } segmentSize)
        {
            if (isWorker)
            {
                workers.Pods.Add(context.PodName);
            }

            return [workers];
        }

        var segments = (workerReplicas + segmentSize - 1) / segmentSize;
        if (segments > MaxSegments)
        {
            throw new GroupingException($"number of subgroups created for the segmentation {segments} is greater than max allowed segmentation {MaxSegments}");
        }

        var podSegment = isWorker ? SegmentIndex(context, segmentSize) : -1;
        var topology = SegmentTopology(worker, job, context);
        var result = new List<SubGroupMetadata> { workers };
        for (var i = 0; i < segments; i++)
        {
            var partial = workerReplicas % segmentSize;
            var segment = new SubGroupMetadata
            {
                Name = $"worker-{i}",
                Parent = "worker",
                Topology = topology,
                MinAvailable = partial != 0 && i == segments - 1 ? partial : segmentSize,
            };
            if (i == podSegment)
            {
                segment.Pods.Add(context.PodName);
            }

            result.Add(segment);
        }

        return result;
    }

    private static string? ReplicaType(GroupingContext context) =>
        context.PodLabels.TryGetValue(KubeflowGrouper.ReplicaTypeLabel, out var type) ? type : null;

    private static int SegmentIndex(GroupingContext context, int segmentSize)
    {
        if (!context.PodLabels.TryGetValue(KubeflowGrouper.ReplicaIndexLabel, out var text))
        {
            throw new GroupingException($"replica index label not found on pod {context.PodNamespace}/{context.PodName}");
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
        {
            throw new GroupingException($"replica index {text} of pod {context.PodNamespace}/{context.PodName} is not a whole number of 0 or more");
        }

        return index / segmentSize;
    }

    private static int? SegmentSize(JsonElement worker, GroupingContext context)
    {
        if (context.PodAnnotations.TryGetValue(KaiConventions.SegmentSizeAnnotation, out var podText) && podText.Length > 0)
        {
            return Positive(podText, $"on pod {context.PodNamespace}/{context.PodName}");
        }

        var templateText = Json.String(worker, "template", "metadata", "annotations", KaiConventions.SegmentSizeAnnotation);
        return string.IsNullOrEmpty(templateText) ? null : Positive(templateText, "on worker podTemplate");
    }

    private static int Positive(string text, string where) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : throw new GroupingException($"invalid segment size {text} {where}: it needs to be a positive integer");

    private static TopologyConstraintMetadata? SegmentTopology(JsonElement worker, ObjectView job, GroupingContext context)
    {
        var topology = WorkerAnnotation(worker, context, KaiConventions.TopologyAnnotation);
        if (string.IsNullOrEmpty(topology))
        {
            topology = job.Annotations.TryGetValue(KaiConventions.TopologyAnnotation, out var owned) ? owned : null;
        }

        if (string.IsNullOrEmpty(topology))
        {
            return null;
        }

        var required = WorkerAnnotation(worker, context, KaiConventions.SegmentTopologyRequiredAnnotation);
        var preferred = WorkerAnnotation(worker, context, KaiConventions.SegmentTopologyPreferredAnnotation);
        return string.IsNullOrEmpty(required) && string.IsNullOrEmpty(preferred) ? null : new TopologyConstraintMetadata(topology, required, preferred);
    }

    private static string? WorkerAnnotation(JsonElement worker, GroupingContext context, string key) =>
        context.PodAnnotations.TryGetValue(key, out var value) && value.Length > 0 ? value : Json.String(worker, "template", "metadata", "annotations", key);
}
