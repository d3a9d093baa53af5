using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// The LeaderWorkerSet controller, for a simulation: a leader StatefulSet <c>&lt;lws&gt;</c> with one pod per group
/// (<c>replicas</c>, from <c>leaderTemplate</c>, else <c>workerTemplate</c>), and for each group <c>g</c> a worker
/// StatefulSet <c>&lt;lws&gt;-&lt;g&gt;</c> owned by that group's leader pod, with <c>size - 1</c> workers
/// <c>&lt;lws&gt;-&lt;g&gt;-1…</c>. Under <c>startupPolicy: LeaderReady</c> a group's workers are created once its leader
/// is ready; under LeaderCreated (the default) as soon as it exists. Pods carry LWS's name, group-index and
/// worker-index labels and size annotation, which KAI's pod-grouper reads. Recreating a whole group when one of its
/// pods restarts (RecreateGroupOnPodRestart) is not modelled: a lost pod is recreated alone.
/// </summary>
internal sealed class LeaderWorkerSetController : IWorkloadController
{
    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.LeaderWorkerSet];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var lws = (GenericObject)owner;
        var view = ObjectView.Of(lws, context.Cluster.Kinds);
        var replicas = (int)(view.Int64("spec", "replicas") ?? 1);
        var size = (int)(view.Int64("spec", "leaderWorkerTemplate", "size") ?? 1);
        var workerTemplate = view.At("spec", "leaderWorkerTemplate", "workerTemplate") is { } w ? Json.Read<V1PodTemplateSpec>(w) : new V1PodTemplateSpec();
        var leaderTemplate = view.At("spec", "leaderWorkerTemplate", "leaderTemplate") is { } l ? Json.Read<V1PodTemplateSpec>(l) : workerTemplate;
        var leaderReady = view.String("spec", "startupPolicy") == "LeaderReady";

        var leaders = context.Children<V1StatefulSet>(lws).Find(s => s.Metadata.Name == lws.Metadata.Name);
        if (leaders is null)
        {
            await context.CreateAsync(LeaderSet(lws, leaderTemplate, replicas, size)).ConfigureAwait(false);
            return;
        }

        if (leaders.Spec.Replicas != replicas)
        {
            await context.ReplaceAsync(leaders with { Spec = leaders.Spec with { Replicas = replicas } }).ConfigureAwait(false);
        }

        var readyGroups = 0;
        foreach (var leader in context.Children<V1Pod>(leaders).Where(PodStates.IsActive))
        {
            if (size <= 1 || (leaderReady && !PodStates.IsReady(leader)))
            {
                readyGroups += PodStates.IsReady(leader) ? 1 : 0;
                continue;
            }

            var group = leader.Metadata.Labels?.TryGetValue(LeaderWorkerSetLabels.GroupIndex, out var g) == true ? g : "0";
            var workers = context.Children<V1StatefulSet>(leader).FirstOrDefault();
            if (workers is null)
            {
                await context.CreateAsync(WorkerSet(lws, leader, group, workerTemplate, size)).ConfigureAwait(false);
                continue;
            }

            readyGroups += PodStates.IsReady(leader) && workers.Status?.ReadyReplicas == size - 1 ? 1 : 0;
        }

        var status = WorkloadContext.StatusOf(lws);
        status["replicas"] = replicas;
        status["readyReplicas"] = readyGroups;
        await context.WriteStatusAsync(lws, status).ConfigureAwait(false);
    }

    private static V1StatefulSet LeaderSet(GenericObject lws, V1PodTemplateSpec template, int replicas, int size)
    {
        var name = lws.Metadata.Name;
        var labels = new Dictionary<string, string> { [LeaderWorkerSetLabels.Name] = name, [LeaderWorkerSetLabels.WorkerIndex] = "0" };
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = lws.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [LeaderWorkerSetLabels.Name] = name },
                OwnerReferences = [PodTemplates.ControllerReference(lws, WorkloadKinds.LeaderWorkerSet)],
            },
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                PodManagementPolicy = "Parallel",
                ServiceName = name,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = WithLabels(template, labels, size),
            },
        };
    }

    private static V1StatefulSet WorkerSet(GenericObject lws, V1Pod leader, string group, V1PodTemplateSpec template, int size)
    {
        var lwsName = lws.Metadata.Name;
        var labels = new Dictionary<string, string> { [LeaderWorkerSetLabels.Name] = lwsName, [LeaderWorkerSetLabels.GroupIndex] = group };
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{lwsName}-{group}",
                NamespaceProperty = lws.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [PodTemplates.ControllerReference(leader, WorkloadKinds.Pod)],
            },
            Spec = new V1StatefulSetSpec
            {
                Replicas = size - 1,
                Ordinals = new V1StatefulSetOrdinals { Start = 1 },
                PodManagementPolicy = "Parallel",
                ServiceName = lwsName,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = WithLabels(template, labels, size, leader.Metadata.Name),
            },
        };
    }

    private static V1PodTemplateSpec WithLabels(V1PodTemplateSpec template, Dictionary<string, string> labels, int size, string? leaderName = null)
    {
        var annotations = new Dictionary<string, string> { [LeaderWorkerSetLabels.Size] = size.ToString(CultureInfo.InvariantCulture) };
        if (leaderName is not null)
        {
            annotations[LeaderWorkerSetLabels.LeaderName] = leaderName;
        }

        var metadata = template.Metadata ?? new V1ObjectMeta();
        return template with
        {
            Metadata = metadata with
            {
                Labels = PodTemplates.Merge(metadata.Labels, labels),
                Annotations = PodTemplates.Merge(metadata.Annotations, annotations),
            },
        };
    }
}
