using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubernetes' StatefulSet controller: pods with stable names <c>&lt;set&gt;-&lt;ordinal&gt;</c> (from
/// <c>ordinals.start</c>, default 0) for <c>replicas</c> (default 1). With <c>podManagementPolicy: OrderedReady</c>
/// (the default) a pod is created only once every lower ordinal runs and is ready; <c>Parallel</c> creates them all.
/// A deleted or failed pod is created again under the same name once the old one is gone; scaling down removes the
/// highest ordinals. For a LeaderWorkerSet's StatefulSets it also writes the labels LWS's pod webhook would
/// (group and worker index).
/// </summary>
internal sealed class StatefulSetController : IWorkloadController
{
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.StatefulSet];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var set = (V1StatefulSet)owner;
        var start = set.Spec.Ordinals?.Start ?? 0;
        var replicas = set.Spec.Replicas ?? 1;
        var ordered = set.Spec.PodManagementPolicy is null or "OrderedReady";
        var pods = context.Children<V1Pod>(set).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);

        foreach (var failed in pods.Values.Where(PodStates.IsFailed))
        {
            await context.DeleteAsync(failed).ConfigureAwait(false);
        }

        for (var ordinal = start; ordinal < start + replicas; ordinal++)
        {
            var name = $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";
            if (pods.TryGetValue(name, out var pod))
            {
                if (ordered && !PodStates.IsReady(pod))
                {
                    break; // the next ordinal waits for this one
                }

                continue;
            }

            await context.CreatePodAsync(set, SetPod(set, name, ordinal)).ConfigureAwait(false);
            if (ordered)
            {
                break;
            }
        }

        var extras = pods.Values.Where(p => OrdinalOf(p, set) is { } o && (o < start || o >= start + replicas) && !PodStates.IsTerminating(p))
            .OrderByDescending(p => OrdinalOf(p, set))
            .ToList();
        foreach (var extra in ordered ? extras.Take(1) : extras)
        {
            await context.DeleteAsync(extra).ConfigureAwait(false);
        }

        var active = pods.Values.Where(PodStates.IsActive).ToList();
        var status = (set.Status ?? new V1StatefulSetStatus()) with
        {
            ObservedGeneration = set.Metadata.Generation,
            Replicas = active.Count,
            CurrentReplicas = active.Count,
            UpdatedReplicas = active.Count,
            ReadyReplicas = active.Count(PodStates.IsReady),
            AvailableReplicas = active.Count(PodStates.IsReady),
        };
        await context.WriteStatusAsync(set, set with { Status = status }).ConfigureAwait(false);
    }

    private static int? OrdinalOf(V1Pod pod, V1StatefulSet set)
    {
        var prefix = set.Metadata.Name + "-";
        return pod.Metadata.Name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(pod.Metadata.Name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;
    }

    private static V1Pod SetPod(V1StatefulSet set, string name, int ordinal)
    {
        var index = ordinal.ToString(CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PodNameLabel] = name,
            [PodIndexLabel] = index,
        };
        LeaderWorkerSetLabels.AddPodLabels(set, ordinal, labels);
        var pod = PodTemplates.Pod(set.Spec.Template, set, WorkloadKinds.StatefulSet, name, null, labels);
        pod.Spec.Hostname ??= name;
        if (!string.IsNullOrEmpty(set.Spec.ServiceName))
        {
            pod.Spec.Subdomain ??= set.Spec.ServiceName;
        }

        return pod;
    }
}
