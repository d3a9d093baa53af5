using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Controllers.Mapping;

namespace Kai.Controllers.Binding;

/// <summary>
/// KAI's binder hand-shake for pods that share GPUs: each GPU group (shared device) is held on its node by a
/// reservation pod in <c>kai-resource-reservation</c> that requests one whole GPU, so that nothing else takes the
/// device; the sharing pod is labelled with its groups (<c>runai-gpu-group</c>) and annotated with the resource type it
/// received (<c>received-resource-type</c>). A reservation pod goes once no live pod is on its group any more.
/// </summary>
internal sealed class GpuSharingHandshake(ICluster cluster)
{
    // Whether reservation pods may exist (unknown at first): without any, the sweep lists no pods.
    private bool _mayHaveReservations = true;

    /// <summary>Before binding: the reservation pods of the request's groups exist on its node.</summary>
    public async ValueTask ReserveAsync(BindRequest request, CancellationToken cancellationToken)
    {
        var node = request.Spec?.SelectedNode;
        if (node is null || request.Spec?.SelectedGPUGroups is not { Count: > 0 } groups)
        {
            return;
        }

        foreach (var group in groups)
        {
            var name = ReservationPodName(node, group);
            if (await cluster.GetAsync<V1Pod>(KaiConventions.ReservationNamespace, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            try
            {
                await cluster.CreateAsync(ReservationPod(name, node, group), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
            {
                // Another worker binding a pod of the same group made it.
            }
        }

        _mayHaveReservations = true;
    }

    /// <summary>
    /// What the binding sets on the pod: the resource type it received (<c>received-resource-type</c>), which KAI's
    /// binder merge-patches before binding; sent with the binding, it costs no request of its own. Null when none.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? BindingAnnotations(BindRequest request) =>
        request.Spec?.ReceivedResourceType is { } type
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [KaiConventions.ReceivedResourceTypeAnnotation] = type }
            : null;

    /// <summary>After binding: a pod on shared GPUs carries its groups (<c>runai-gpu-group</c> labels).</summary>
    /// <remarks>
    /// The bound pod's version is not known yet (the binding answers with a Status), so a first write may meet a
    /// conflict; it is tried again on the pod as it is now.
    /// </remarks>
    public async ValueTask LabelAsync(V1Pod pod, BindRequest request, CancellationToken cancellationToken)
    {
        if (request.Spec?.SelectedGPUGroups is not { Count: > 0 } groups)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in GpuGroupLabels.For([.. groups]))
            {
                labels[key] = value;
            }

            var updated = KubeObjects.ShallowCopy(pod);
            updated.Metadata = pod.Metadata with { Labels = labels };
            try
            {
                await cluster.ReplaceAsync(updated, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict && attempt < 3)
            {
                var current = await cluster.GetAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (current is null || current.Metadata.Uid != pod.Metadata.Uid)
                {
                    throw;
                }

                pod = current;
            }
        }
    }

    /// <summary>Deletes reservation pods whose group no live pod is on any more; returns how many went.</summary>
    public async ValueTask<int> ReleaseEmptyGroupsAsync(CancellationToken cancellationToken)
    {
        if (!_mayHaveReservations)
        {
            return 0;
        }

        var pods = (await cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false)).Items;
        List<V1Pod>? reservations = null;
        var inUse = new HashSet<(string Node, string Group)>();
        foreach (var pod in pods)
        {
            if (IsReservation(pod))
            {
                (reservations ??= []).Add(pod);
            }
            else if (pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Spec?.NodeName is { Length: > 0 } node)
            {
                foreach (var group in GpuGroupLabels.Read(pod.Metadata.Labels))
                {
                    inUse.Add((node, group));
                }
            }
        }

        var released = 0;
        foreach (var reservation in reservations ?? [])
        {
            var group = reservation.Metadata.Labels?.TryGetValue(KaiConventions.GpuGroupLabel, out var g) == true ? g : null;
            if (reservation.Metadata.DeletionTimestamp is null && (group is null || !inUse.Contains((reservation.Spec?.NodeName ?? string.Empty, group))))
            {
                await cluster.DeleteAsync<V1Pod>(KaiConventions.ReservationNamespace, reservation.Metadata.Name, gracePeriodSeconds: 0, cancellationToken).ConfigureAwait(false);
                released++;
            }
        }

        _mayHaveReservations = (reservations?.Count ?? 0) > released;
        return released;
    }

    private static bool IsReservation(V1Pod pod) =>
        pod.Metadata.NamespaceProperty == KaiConventions.ReservationNamespace
        && pod.Metadata.Labels?.TryGetValue(KaiConventions.ReservationAppLabel, out var app) == true && app == KaiConventions.ReservationAppValue;

    /// <summary>KAI names reservation pods gpu-reservation-&lt;node&gt;-&lt;random&gt;; here the suffix comes from the group, so it is stable.</summary>
    private static string ReservationPodName(string node, string group) =>
        $"{KaiConventions.ReservationPodPrefix}{node}-{group[..Math.Min(8, group.Length)]}".ToLowerInvariant();

    private static V1Pod ReservationPod(string name, string node, string group) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = KaiConventions.ReservationNamespace,
            Labels = new Dictionary<string, string>
            {
                [KaiConventions.ReservationAppLabel] = KaiConventions.ReservationAppValue,
                [KaiConventions.GpuGroupLabel] = group,
            },
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            ServiceAccountName = KaiConventions.ReservationNamespace,
            Containers =
            [
                new V1Container
                {
                    Name = "resource-reservation",
                    Image = "kai-resource-reservation",
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { [KaiConventions.GpuResource] = new ResourceQuantity("1") } },
                },
            ],
        },
    };
}
