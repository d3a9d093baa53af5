using System.Globalization;
using System.Text.Json;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// LeaderWorkerSets: one pod group per replica (group), <c>pg-&lt;lws&gt;-&lt;uid&gt;-group-&lt;i&gt;</c> by the pod label
/// <c>leaderworkerset.sigs.k8s.io/group-index</c>. minMember is the group <c>size</c>; under
/// <c>startupPolicy: LeaderReady</c>, 1 while the leader pod is not yet placed. Subgroups <c>leader</c> (1) and
/// <c>workers</c> (the rest); a segment size (<c>subGroupPolicy.subGroupSize</c>, else the
/// <c>kai.scheduler/segment-size</c> annotation on the LWS or its worker template) splits the group into
/// <c>segment-&lt;i&gt;</c> subgroups instead, the leader in the first (LeaderWorker) or alone (LeaderExcluded).
/// </summary>
internal sealed class LeaderWorkerSetGrouper(DefaultGrouper defaults) : IGrouper
{
    public const string SizeAnnotation = "leaderworkerset.sigs.k8s.io/size";
    public const string GroupIndexLabel = "leaderworkerset.sigs.k8s.io/group-index";
    public const string WorkerIndexLabel = "leaderworkerset.sigs.k8s.io/worker-index";

    public string Name => "LWS Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        var size = GroupSize(topOwner);
        var policy = topOwner.String("spec", "startupPolicy") ?? "LeaderCreated";
        metadata.MinAvailable = policy switch
        {
            "LeaderReady" => LeaderReadyMinimum(context, size),
            "LeaderCreated" => size,
            _ => throw new GroupingException($"unknown startupPolicy: {policy}"),
        };
        metadata.SubGroups = SubGroups(topOwner, context, metadata.MinAvailable);
        if (context.PodLabels.TryGetValue(GroupIndexLabel, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var group))
        {
            metadata.Name = $"{metadata.Name}-group-{group}";
        }

        return metadata;
    }

    private static int GroupSize(ObjectView lws)
    {
        var size = lws.Int64("spec", "leaderWorkerTemplate", "size")
            ?? throw new GroupingException($"leaderWorkerTemplate.size not found in LWS {lws.Namespace}/{lws.Name}");
        return size > 0 ? (int)size : throw new GroupingException($"invalid leaderWorkerTemplate.size {size} in LWS {lws.Namespace}/{lws.Name}");
    }

    private static int LeaderReadyMinimum(GroupingContext context, int size)
    {
        if (context.PodAnnotations.TryGetValue(SizeAnnotation, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var annotated))
        {
            size = annotated;
        }

        var unplacedLeader = IsLeader(context) && string.IsNullOrEmpty(context.Pod.Spec?.NodeName);
        return unplacedLeader ? 1 : size;
    }

    private static bool IsLeader(GroupingContext context) =>
        context.PodLabels.TryGetValue(WorkerIndexLabel, out var index) && index == "0";

    private static List<SubGroupMetadata> SubGroups(ObjectView lws, GroupingContext context, int replicas)
    {
        var segmentSize = SegmentSize(lws, replicas);
        var leader = IsLeader(context);
        if (segmentSize is null)
        {
            var result = new List<SubGroupMetadata> { new() { Name = "leader", MinAvailable = 1 } };
            if (leader)
            {
                result[0].Pods.Add(context.PodName);
            }

            if (replicas - 1 > 0)
            {
                var workers = new SubGroupMetadata { Name = "workers", MinAvailable = replicas - 1 };
                if (!leader)
                {
                    workers.Pods.Add(context.PodName);
                }

                result.Add(workers);
            }

            return result;
        }

        var excluded = (lws.String("spec", "leaderWorkerTemplate", "subGroupPolicy", "subGroupPolicyType") ?? "LeaderWorker") == "LeaderExcluded";
        return Segments(lws, context, replicas, segmentSize.Value, excluded, leader);
    }

    private static List<SubGroupMetadata> Segments(ObjectView lws, GroupingContext context, int replicas, int segmentSize, bool leaderExcluded, bool leader)
    {
        var divisible = (replicas - 1) % segmentSize == 0;
        var segments = EmptySegments(SegmentTopology(lws, context), replicas, segmentSize, divisible);
        if (!context.PodLabels.TryGetValue(WorkerIndexLabel, out var text) || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var workerIndex))
        {
            throw new GroupingException($"failed to get worker index from pod {context.PodNamespace}/{context.PodName}");
        }

        var podSegment = SegmentIndex(workerIndex, divisible, segmentSize);
        if (leaderExcluded)
        {
            if (!divisible)
            {
                throw new GroupingException(
                    $"replicasSize {replicas} is not divisible by segmentSize {segmentSize}. LeaderExcluded policy is only supported when replicasSize is divisible by segmentSize.");
            }

            segments.Insert(0, new SubGroupMetadata { Name = "leader", MinAvailable = 1 });
            segments[leader ? 0 : podSegment + 1].Pods.Add(context.PodName);
            return segments;
        }

        PlaceWithLeaderInFirstSegment(segments, context.PodName, divisible, leader, podSegment);
        return segments;
    }

    /// <summary>One segment per <paramref name="segmentSize"/> workers; the last holds only the workers whose index maps to it.</summary>
    private static List<SubGroupMetadata> EmptySegments(TopologyConstraintMetadata? topology, int replicas, int segmentSize, bool divisible)
    {
        var count = SegmentIndex(replicas - 1, divisible, segmentSize) + 1;
        var segments = new List<SubGroupMetadata>();
        for (var i = 0; i < count; i++)
        {
            segments.Add(new SubGroupMetadata { Name = $"segment-{i}", Topology = topology, MinAvailable = segmentSize });
        }

        var last = 0;
        for (var worker = replicas - 1; worker >= 0 && SegmentIndex(worker, divisible, segmentSize) == count - 1; worker--)
        {
            last++;
        }

        segments[^1].MinAvailable = last;
        return segments;
    }

    /// <summary>LeaderWorker: the first segment holds the leader; it becomes the parent of a leader and a workers subgroup.</summary>
    private static void PlaceWithLeaderInFirstSegment(List<SubGroupMetadata> segments, string podName, bool divisible, bool leader, int podSegment)
    {
        var first = segments[0];
        if (divisible)
        {
            first.MinAvailable += 1;
        }

        var leaderGroup = new SubGroupMetadata { Name = "leader", MinAvailable = 1, Parent = first.Name };
        var firstWorkers = new SubGroupMetadata { Name = "workers", MinAvailable = first.MinAvailable - 1, Parent = first.Name };
        segments.Add(leaderGroup);
        segments.Add(firstWorkers);
        var home = leader ? leaderGroup : podSegment == 0 ? firstWorkers : segments[podSegment];
        home.Pods.Add(podName);
    }

    private static int SegmentIndex(int workerIndex, bool divisible, int segmentSize) =>
        workerIndex == 0 ? 0 : divisible ? (workerIndex - 1) / segmentSize : workerIndex / segmentSize;

    private static int? SegmentSize(ObjectView lws, int replicas)
    {
        var size = lws.Int64("spec", "leaderWorkerTemplate", "subGroupPolicy", "subGroupSize") is { } declared
            ? (int)declared
            : Annotated(lws.Annotations.TryGetValue(KaiConventions.SegmentSizeAnnotation, out var onLws) ? onLws : null, $"LWS {lws.Namespace}/{lws.Name}")
              ?? Annotated(lws.String("spec", "leaderWorkerTemplate", "workerTemplate", "metadata", "annotations", KaiConventions.SegmentSizeAnnotation), $"workerTemplate of LWS {lws.Namespace}/{lws.Name}");
        if (size is null)
        {
            return null;
        }

        return size <= 1 ? throw new GroupingException($"segmentSize {size} is not valid. It must be greater than 1")
            : size > replicas ? throw new GroupingException($"segmentSize {size} is greater than replicasSize {replicas}")
            : size;
    }

    private static int? Annotated(string? text, string where) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) ? size
        : throw new GroupingException($"invalid segment size annotation {text} in {where}");

    private static TopologyConstraintMetadata? SegmentTopology(ObjectView lws, GroupingContext context)
    {
        if (lws.At("spec", "leaderWorkerTemplate", "workerTemplate") is not { ValueKind: JsonValueKind.Object } template)
        {
            return null;
        }

        var topology = WorkerAnnotation(template, context, KaiConventions.TopologyAnnotation)
            ?? (lws.Annotations.TryGetValue(KaiConventions.TopologyAnnotation, out var owned) ? owned : null);
        if (string.IsNullOrEmpty(topology))
        {
            return null;
        }

        var required = WorkerAnnotation(template, context, KaiConventions.SegmentTopologyRequiredAnnotation);
        var preferred = WorkerAnnotation(template, context, KaiConventions.SegmentTopologyPreferredAnnotation);
        return string.IsNullOrEmpty(required) && string.IsNullOrEmpty(preferred) ? null : new TopologyConstraintMetadata(topology, required, preferred);
    }

    private static string? WorkerAnnotation(JsonElement template, GroupingContext context, string key) =>
        context.PodAnnotations.TryGetValue(key, out var value) && value.Length > 0 ? value
        : Json.String(template, "metadata", "annotations", key) is { Length: > 0 } templated ? templated
        : null;
}
