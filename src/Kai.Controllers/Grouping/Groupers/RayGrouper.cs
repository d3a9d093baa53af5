using System.Text.Json;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Ray workloads: a RayCluster, or the RayCluster a RayJob (<c>status.rayClusterName</c>) or a RayService (the active,
/// else pending, <c>rayClusterName</c>) runs on. One pod group per top owner whose minMember is 1 (the head) plus,
/// for every worker group that is not suspended, its minReplicas (with autoscaling or when set above 0, else its
/// replicas) times its numOfHosts. Subgroups <c>headgroup</c> and one per worker group (<c>groupName</c>, else
/// <c>worker-group-&lt;i&gt;</c>), joined by the pod label <c>ray.io/group</c> — unless a pod group made before
/// subgroups existed is already there. The top owner's label <c>ray.io/priority-class-name</c> sets the priority.
/// </summary>
internal sealed class RayGrouper(DefaultGrouper defaults)
{
    public const string GroupLabel = "ray.io/group";
    public const string HeadGroup = "headgroup";
    private const string PriorityClassLabel = "ray.io/priority-class-name";

    public IGrouper ForCluster() => new Kind(this, "RayCluster Grouper", []);

    public IGrouper ForJob() => new Kind(this, "RayJob Grouper", [["status", "rayClusterName"]]);

    public IGrouper ForService() => new Kind(this, "RayService Grouper",
        [["status", "activeServiceStatus", "rayClusterName"], ["status", "pendingServiceStatus", "rayClusterName"]]);

    private async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, string[][] clusterNamePaths, GroupingContext context)
    {
        var cluster = await ClusterOfAsync(topOwner, clusterNamePaths, context).ConfigureAwait(false);
        var metadata = await defaults.GroupAsync(topOwner, [], context).ConfigureAwait(false);
        var (minMember, subGroups) = MembersAndSubGroups(cluster);
        metadata.MinAvailable = minMember;
        var existing = await context.Cluster.GetAsync<PodGroup>(metadata.Namespace, metadata.Name, context.CancellationToken).ConfigureAwait(false);
        if (existing is null || existing.Spec?.SubGroups is { Count: > 0 })
        {
            metadata.SubGroups = subGroups;
        }

        if (topOwner.Labels.TryGetValue(PriorityClassLabel, out var priorityClass))
        {
            metadata.PriorityClassName = priorityClass;
        }

        // A pod with an unknown group stays out of the subgroups, as in KAI (which only logs it).
        if (context.PodLabels.TryGetValue(GroupLabel, out var group) && metadata.SubGroups.Find(s => s.Name == group) is { } subGroup)
        {
            subGroup.Pods.Add(context.PodName);
        }

        return metadata;
    }

    private static async ValueTask<ObjectView> ClusterOfAsync(ObjectView topOwner, string[][] clusterNamePaths, GroupingContext context)
    {
        if (clusterNamePaths.Length == 0)
        {
            return topOwner;
        }

        var name = clusterNamePaths.Select(path => topOwner.String(path)).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        if (name is null)
        {
            throw new GroupingException(
                $"failed to extract rayClusterName for {topOwner.Namespace}/{topOwner.Name} of kind {topOwner.Kind.Kind}. " +
                "Please make sure that the ray-operator is up and a rayCluster child-object has been created");
        }

        var kind = new KindKey(topOwner.Kind.ApiVersion, "RayCluster");
        var cluster = await context.Cluster.GetAsync(kind, topOwner.Namespace, name, context.CancellationToken).ConfigureAwait(false)
            ?? throw new GroupingException($"rayclusters.ray.io \"{name}\" not found");
        return ObjectView.Of(cluster, context.Cluster.Kinds);
    }

    private static (int MinMember, List<SubGroupMetadata> SubGroups) MembersAndSubGroups(ObjectView cluster)
    {
        var subGroups = new List<SubGroupMetadata>
        {
            new() { Name = HeadGroup, MinAvailable = 1, Topology = TemplateTopology(cluster.At("spec", "headGroupSpec"), "headGroupSpec") },
        };
        var minMember = 1;
        var autoscaling = cluster.Boolean("spec", "enableInTreeAutoscaling") ?? false;
        var groups = cluster.At("spec", "workerGroupSpecs") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (Json.Boolean(group, "suspended") == true)
            {
                continue;
            }

            var desired = Json.Int64(group, "replicas") ?? 0;
            var minimum = Json.Int64(group, "minReplicas") ?? 0;
            if (minimum > desired)
            {
                throw new GroupingException(
                    $"ray-cluster replicas for a workerGroupsSpec can't be less than minReplicas. Given {desired} replicas and {minimum} minReplicas. " +
                    $"Please fix the replicas field for group number {i}");
            }

            if (minimum == 0 && desired == 0)
            {
                continue;
            }

            var hosts = Json.Int64(group, "numOfHosts") ?? 1;
            var groupMinimum = (int)((autoscaling || minimum > 0 ? minimum : desired) * hosts);
            minMember += groupMinimum;
            var name = Json.String(group, "groupName") is { Length: > 0 } groupName ? groupName : $"worker-group-{i}";
            subGroups.Add(new SubGroupMetadata { Name = name, MinAvailable = groupMinimum, Topology = TemplateTopology(group, $"workerGroupSpecs.{name}") });
        }

        return (minMember, subGroups);
    }

    private static TopologyConstraintMetadata? TemplateTopology(JsonElement? spec, string where)
    {
        if (spec is not { } group)
        {
            return null;
        }

        var topology = Json.String(group, "template", "metadata", "annotations", KaiConventions.TopologyAnnotation);
        var required = Json.String(group, "template", "metadata", "annotations", KaiConventions.TopologyRequiredAnnotation);
        var preferred = Json.String(group, "template", "metadata", "annotations", KaiConventions.TopologyPreferredAnnotation);
        if (string.IsNullOrEmpty(required) && string.IsNullOrEmpty(preferred))
        {
            return null;
        }

        return string.IsNullOrEmpty(topology)
            ? throw new GroupingException($"topology annotation ({KaiConventions.TopologyAnnotation}) is required for {where} when topology placement annotations are set")
            : new TopologyConstraintMetadata(topology, required, preferred);
    }

    private sealed class Kind(RayGrouper ray, string name, string[][] clusterNamePaths) : IGrouper
    {
        public string Name => name;

        public ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context) =>
            ray.GroupAsync(topOwner, clusterNamePaths, context);
    }
}
