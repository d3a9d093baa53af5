using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// KubeRay's RayCluster controller, for a simulation: a head pod (<c>&lt;cluster&gt;-head-…</c>) and, per worker
/// group that is not suspended, <c>replicas</c> (kept within minReplicas and maxReplicas) times <c>numOfHosts</c> worker
/// pods (<c>&lt;cluster&gt;-&lt;group&gt;-worker-…</c>), labelled <c>ray.io/cluster</c>, <c>ray.io/node-type</c> and
/// <c>ray.io/group</c> (<c>headgroup</c> for the head) as KubeRay labels them. Missing and failed pods are replaced;
/// extra workers are removed. <c>spec.suspend</c> removes every pod. The cluster is <c>ready</c> once every pod is.
/// </summary>
internal sealed class RayClusterController : IWorkloadController
{
    public const string ClusterLabel = "ray.io/cluster";
    public const string NodeTypeLabel = "ray.io/node-type";
    public const string GroupLabel = "ray.io/group";
    public const string HeadGroup = "headgroup";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.RayCluster];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var cluster = (GenericObject)owner;
        var view = ObjectView.Of(cluster, context.Cluster.Kinds);
        var suspended = view.Boolean("spec", "suspend") == true;
        var pods = context.Children<V1Pod>(cluster);
        context.DeletedPods(cluster);
        foreach (var failed in pods.Where(PodStates.IsFailed))
        {
            await context.DeleteAsync(failed).ConfigureAwait(false);
        }

        var active = pods.Where(PodStates.IsActive).ToList();
        var groups = GroupsOf(view, suspended);
        var (ready, readyWorkers, desired) = (0, 0, 0);
        foreach (var group in groups)
        {
            var readyMembers = await ScaleGroupAsync(cluster, group, active, context).ConfigureAwait(false);
            ready += readyMembers;
            readyWorkers += group.NodeType == "worker" ? readyMembers : 0;
            desired += group.Wanted;
        }

        var status = WorkloadContext.StatusOf(cluster);
        var workers = groups.Where(g => g.NodeType == "worker").ToList();
        status["state"] = suspended ? "suspended" : desired > 0 && ready == desired ? "ready" : string.Empty;
        status["desiredWorkerReplicas"] = workers.Sum(g => g.Wanted);
        status["readyWorkerReplicas"] = readyWorkers;
        status["availableWorkerReplicas"] = readyWorkers;
        status["minWorkerReplicas"] = workers.Sum(g => (int)(Json.Int64(g.Spec, "minReplicas") ?? 0) * (int)(Json.Int64(g.Spec, "numOfHosts") ?? 1));
        status["maxWorkerReplicas"] = workers.Sum(g => (int)(Json.Int64(g.Spec, "maxReplicas") ?? int.MaxValue / 1024) * (int)(Json.Int64(g.Spec, "numOfHosts") ?? 1));
        if (active.FirstOrDefault(IsHead) is { } headPod)
        {
            status["head"] = new JsonObject { ["podName"] = headPod.Metadata.Name };
        }

        await context.WriteStatusAsync(cluster, status).ConfigureAwait(false);
    }

    /// <summary>The head group and each worker group, with how many pods each should have (none while suspended).</summary>
    private static List<(string Name, string NodeType, int Wanted, JsonElement Spec)> GroupsOf(ObjectView view, bool suspended)
    {
        var groups = new List<(string Name, string NodeType, int Wanted, JsonElement Spec)>();
        if (view.At("spec", "headGroupSpec") is { } head)
        {
            groups.Add((HeadGroup, "head", suspended ? 0 : 1, head));
        }

        var workerSpecs = view.At("spec", "workerGroupSpecs") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        for (var i = 0; i < workerSpecs.Count; i++)
        {
            var spec = workerSpecs[i];
            var name = Json.String(spec, "groupName") is { Length: > 0 } groupName ? groupName : $"worker-group-{i.ToString(CultureInfo.InvariantCulture)}";
            groups.Add((name, "worker", suspended || Json.Boolean(spec, "suspended") == true ? 0 : WorkerCount(spec), spec));
        }

        return groups;
    }

    /// <summary>Creates or deletes (newest first) the group's pods to its wanted count; how many of them are ready.</summary>
    private static async ValueTask<int> ScaleGroupAsync(
        GenericObject cluster, (string Name, string NodeType, int Wanted, JsonElement Spec) group, List<V1Pod> active, WorkloadContext context)
    {
        var members = active.Where(p => p.Metadata.Labels?.TryGetValue(GroupLabel, out var g) == true && g == group.Name).ToList();
        for (var i = members.Count; i < group.Wanted; i++)
        {
            await context.CreatePodAsync(cluster, RayPod(cluster, group.Name, group.NodeType, group.Spec)).ConfigureAwait(false);
        }

        foreach (var extra in members.OrderByDescending(p => p.Metadata.Name, StringComparer.Ordinal).Take(Math.Max(0, members.Count - group.Wanted)))
        {
            await context.DeleteAsync(extra).ConfigureAwait(false);
        }

        return Math.Min(group.Wanted, members.Count(PodStates.IsReady));
    }

    private static bool IsHead(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(NodeTypeLabel, out var type) == true && type == "head";

    // replicas kept within [minReplicas, maxReplicas], times the hosts per replica.
    private static int WorkerCount(JsonElement spec)
    {
        var replicas = Json.Int64(spec, "replicas") ?? Json.Int64(spec, "minReplicas") ?? 0;
        if (Json.Int64(spec, "minReplicas") is { } minimum)
        {
            replicas = Math.Max(replicas, minimum);
        }

        if (Json.Int64(spec, "maxReplicas") is { } maximum)
        {
            replicas = Math.Min(replicas, maximum);
        }

        return (int)(replicas * (Json.Int64(spec, "numOfHosts") ?? 1));
    }

    private static V1Pod RayPod(GenericObject cluster, string group, string nodeType, JsonElement spec)
    {
        var template = Json.At(spec, "template") is { } t ? Json.Read<V1PodTemplateSpec>(t) : null;
        var name = cluster.Metadata.Name;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClusterLabel] = name,
            [NodeTypeLabel] = nodeType,
            [GroupLabel] = group,
            ["ray.io/is-ray-node"] = "yes",
            ["ray.io/identifier"] = $"{name}-{nodeType}",
            ["app.kubernetes.io/name"] = "kuberay",
            ["app.kubernetes.io/created-by"] = "kuberay-operator",
        };
        var generateName = nodeType == "head" ? $"{name}-head-" : $"{name}-{group}-worker-";
        return PodTemplates.Pod(template, cluster, WorkloadKinds.RayCluster, null, generateName, labels);
    }

    /// <summary>A RayCluster owned by <paramref name="owner"/> from a cluster spec (a RayJob's rayClusterSpec, a RayService's rayClusterConfig).</summary>
    public static GenericObject ClusterFor(IKubernetesObject<V1ObjectMeta> owner, KindKey ownerKind, JsonElement clusterSpec, string generateName, string originatedFrom) => new()
    {
        ApiVersion = WorkloadKinds.RayCluster.ApiVersion,
        Kind = WorkloadKinds.RayCluster.Kind,
        Metadata = new V1ObjectMeta
        {
            GenerateName = generateName,
            NamespaceProperty = owner.Metadata.NamespaceProperty,
            Labels = PodTemplates.Merge(owner.Metadata.Labels, new Dictionary<string, string>
            {
                ["ray.io/originated-from-crd"] = originatedFrom,
                ["ray.io/originated-from-cr-name"] = owner.Metadata.Name,
            }),
            OwnerReferences = [PodTemplates.ControllerReference(owner, ownerKind)],
        },
        Fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["spec"] = clusterSpec.Clone() },
    };

    /// <summary>Whether a RayCluster reports every pod ready.</summary>
    public static bool IsReady(GenericObject cluster) => Json.String(cluster.Field("status") ?? default, "state") == "ready";
}
