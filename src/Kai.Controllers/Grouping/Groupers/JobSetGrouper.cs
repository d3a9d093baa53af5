using System.Globalization;
using System.Text.Json;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// JobSets, as KAI groups them since v0.17: one pod group per JobSet, <c>pg-&lt;jobset&gt;-&lt;uid&gt;</c>, with two
/// levels of subgroups — one per replicatedJob (named after it, requiring all its replicas: <c>minSubGroup</c> =
/// replicas) and under it one per replica, <c>&lt;replicatedJob&gt;-replica-&lt;i&gt;</c>, requiring the Job's
/// <c>parallelism</c> pods (or the template's <c>kai.scheduler/batch-min-member</c>) with the template's topology
/// annotations. The pod group itself has no minMember but <c>minSubGroup</c>: the JobSet's
/// <c>kai.scheduler/batch-min-member</c> (at most the number of replicatedJobs), else 1 for
/// <c>startupPolicyOrder: InOrder</c> (the JobSet controller starts one replicatedJob at a time), else every
/// replicatedJob. Pods join by their <c>jobset.sigs.k8s.io/replicatedjob-name</c> and <c>job-index</c> labels.
/// </summary>
internal sealed class JobSetGrouper(DefaultGrouper defaults) : IGrouper
{
    public const string ReplicatedJobNameLabel = "jobset.sigs.k8s.io/replicatedjob-name";
    public const string JobIndexLabel = "jobset.sigs.k8s.io/job-index";

    public string Name => "JobSet Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        if (string.IsNullOrEmpty(topOwner.Name) || string.IsNullOrEmpty(topOwner.Uid))
        {
            throw new GroupingException($"jobset top owner {topOwner.Namespace}/{topOwner.Name} missing name or UID");
        }

        var replicatedJobs = topOwner.At("spec", "replicatedJobs") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        if (replicatedJobs.Count == 0)
        {
            throw new GroupingException($"jobset {topOwner.Namespace}/{topOwner.Name} has no replicatedJobs");
        }

        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        metadata.MinSubGroup = RootMinSubGroup(topOwner, replicatedJobs.Count);
        metadata.MinAvailable = 0;
        metadata.SubGroups = SubGroups(replicatedJobs);
        AssignPod(metadata, context);
        return metadata;
    }

    private static int RootMinSubGroup(ObjectView jobSet, int replicatedJobs)
    {
        if (jobSet.Annotations.TryGetValue(KaiConventions.MinMemberOverrideAnnotation, out var text))
        {
            var minimum = ParseMinMember(text, "JobSet");
            return Math.Min(minimum, replicatedJobs);
        }

        return (jobSet.String("spec", "startupPolicy", "startupPolicyOrder") ?? "AnyOrder") == "InOrder" ? 1 : replicatedJobs;
    }

    private static List<SubGroupMetadata> SubGroups(List<JsonElement> replicatedJobs)
    {
        var subGroups = new List<SubGroupMetadata>();
        for (var i = 0; i < replicatedJobs.Count; i++)
        {
            var job = replicatedJobs[i];
            var name = Json.String(job, "name");
            if (string.IsNullOrEmpty(name))
            {
                throw new GroupingException($"replicatedJobs[{i}] missing name");
            }

            var replicas = (int)(Json.Int64(job, "replicas") ?? 1);
            var leafMinimum = LeafMinMember(job);
            var topology = LeafTopology(job);
            subGroups.Add(new SubGroupMetadata { Name = name, MinSubGroup = replicas });
            for (var index = 0; index < replicas; index++)
            {
                subGroups.Add(new SubGroupMetadata { Name = $"{name}-replica-{index}", MinAvailable = leafMinimum, Parent = name, Topology = topology });
            }
        }

        return subGroups;
    }

    private static int LeafMinMember(JsonElement replicatedJob)
    {
        var parallelism = (int)(Json.Int64(replicatedJob, "template", "spec", "parallelism") ?? 1);
        var text = Json.String(replicatedJob, "template", "metadata", "annotations", KaiConventions.MinMemberOverrideAnnotation);
        return string.IsNullOrEmpty(text) ? parallelism : ParseMinMember(text, "replicatedJob template");
    }

    private static int ParseMinMember(string text, string where) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value >= 1 ? value : throw new GroupingException($"invalid {KaiConventions.MinMemberOverrideAnnotation} annotation on {where}: value {value} must be >= 1")
            : throw new GroupingException($"invalid {KaiConventions.MinMemberOverrideAnnotation} annotation on {where}: \"{text}\" is not a whole number");

    private static TopologyConstraintMetadata? LeafTopology(JsonElement replicatedJob)
    {
        var topology = Json.String(replicatedJob, "template", "metadata", "annotations", KaiConventions.TopologyAnnotation);
        var required = Json.String(replicatedJob, "template", "metadata", "annotations", KaiConventions.TopologyRequiredAnnotation);
        var preferred = Json.String(replicatedJob, "template", "metadata", "annotations", KaiConventions.TopologyPreferredAnnotation);
        return string.IsNullOrEmpty(topology) || (string.IsNullOrEmpty(required) && string.IsNullOrEmpty(preferred))
            ? null
            : new TopologyConstraintMetadata(topology, required, preferred);
    }

    private static void AssignPod(PodGroupMetadata metadata, GroupingContext context)
    {
        if (!context.PodLabels.TryGetValue(ReplicatedJobNameLabel, out var replicatedJob) || replicatedJob.Length == 0)
        {
            throw new GroupingException($"pod {context.PodNamespace}/{context.PodName} missing required label \"{ReplicatedJobNameLabel}\"");
        }

        if (!context.PodLabels.TryGetValue(JobIndexLabel, out var index) || index.Length == 0)
        {
            throw new GroupingException($"pod {context.PodNamespace}/{context.PodName} missing required label \"{JobIndexLabel}\"");
        }

        var leaf = $"{replicatedJob}-replica-{index}";
        var subGroup = metadata.SubGroups.Find(s => s.Name == leaf)
            ?? throw new GroupingException($"leaf subgroup \"{leaf}\" not found for pod {context.PodNamespace}/{context.PodName}");
        subGroup.Pods.Add(context.PodName);
    }
}
