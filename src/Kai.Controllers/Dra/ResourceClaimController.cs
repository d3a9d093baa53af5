using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Dra;

/// <summary>
/// The part of Kubernetes' resource-claim controller a cluster without kube-controller-manager needs: it makes each
/// pod's claim from its ResourceClaimTemplate (owned by the pod, so it goes with it; recorded in the pod's
/// <c>status.resourceClaimStatuses</c>), and it drops consumers that are gone or finished from claims'
/// <c>status.reservedFor</c>, deallocating a claim no pod holds any more — which frees its devices after an eviction.
/// </summary>
/// <remarks>
/// A consumer this controller never saw as a live pod is kept: a cluster seeded from manifests may name consumers
/// that are not in them (KAI's own tests fill <c>reservedFor</c> that way), and only a pod seen going is known gone.
/// </remarks>
public sealed class ResourceClaimController(ICluster cluster)
{
    private readonly HashSet<(string Namespace, string Name, string? Uid)> _seen = [];

    /// <summary>One pass over pods and claims; returns how many objects it wrote.</summary>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var writes = 0;
        var pods = (await cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false)).Items;
        var live = new HashSet<(string Namespace, string Name, string? Uid)>();
        var finished = new HashSet<(string Namespace, string Name, string? Uid)>();
        foreach (var pod in pods)
        {
            var id = (pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, pod.Metadata.Uid);
            if (pod.Status?.Phase is "Succeeded" or "Failed")
            {
                finished.Add(id);
                continue;
            }

            live.Add(id);
            if (pod.Spec?.ResourceClaims is { Count: > 0 } && pod.Metadata.DeletionTimestamp is null)
            {
                writes += await CreateClaimsFromTemplatesAsync(pod, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var claim in (await cluster.ListAsync<Resourcev1ResourceClaim>(cancellationToken).ConfigureAwait(false)).Items)
        {
            if (claim.Status?.ReservedFor is not { Count: > 0 } reserved)
            {
                continue;
            }

            var ns = claim.Metadata.NamespaceProperty ?? "default";
            var kept = reserved.Where(r => r.Resource != "pods" || !Gone((ns, r.Name, r.Uid), live, finished)).ToList();
            if (kept.Count == reserved.Count)
            {
                continue;
            }

            var updated = KubeObjects.ShallowCopy(claim);
            updated.Status = new V1ResourceClaimStatus
            {
                Allocation = kept.Count > 0 ? claim.Status.Allocation : null,
                Devices = kept.Count > 0 ? claim.Status.Devices : null,
                ReservedFor = kept.Count > 0 ? kept : null,
            };
            try
            {
                await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
                writes++;
            }
            catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
            {
                // Changed or gone meanwhile: the next pass looks again.
            }
        }

        _seen.UnionWith(live);
        return writes;
    }

    private bool Gone((string Namespace, string Name, string? Uid) consumer, HashSet<(string, string, string?)> live, HashSet<(string, string, string?)> finished) =>
        finished.Contains(consumer) || (_seen.Contains(consumer) && !live.Contains(consumer));

    private async ValueTask<int> CreateClaimsFromTemplatesAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var statuses = new List<V1PodResourceClaimStatus>(pod.Status?.ResourceClaimStatuses ?? []);
        var writes = 0;
        foreach (var reference in pod.Spec!.ResourceClaims!)
        {
            if (string.IsNullOrEmpty(reference.ResourceClaimTemplateName) || DraNames.ClaimNameOf(pod, reference) is not null)
            {
                continue;
            }

            if (await cluster.GetAsync<V1ResourceClaimTemplate>(ns, reference.ResourceClaimTemplateName, cancellationToken).ConfigureAwait(false) is not { } template)
            {
                // The pod waits, and the scheduler says why, until the template exists.
                continue;
            }

            var name = DraNames.GeneratedClaimName(pod, reference);
            var claim = new Resourcev1ResourceClaim
            {
                ApiVersion = "resource.k8s.io/v1",
                Kind = "ResourceClaim",
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = ns,
                    Labels = template.Spec?.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                    Annotations = new Dictionary<string, string> { ["resource.kubernetes.io/pod-claim-name"] = reference.Name },
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid, Controller = true, BlockOwnerDeletion = true }],
                },
                Spec = template.Spec?.Spec,
            };
            try
            {
                await cluster.CreateAsync(claim, cancellationToken).ConfigureAwait(false);
                writes++;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
            {
                // Made by an earlier pass whose status write did not land.
            }

            statuses.Add(new V1PodResourceClaimStatus { Name = reference.Name, ResourceClaimName = name });
        }

        if (statuses.Count != (pod.Status?.ResourceClaimStatuses?.Count ?? 0))
        {
            var updated = KubeObjects.ShallowCopy(pod);
            updated.Status = (pod.Status ?? new V1PodStatus()) with { ResourceClaimStatuses = statuses };
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            writes++;
        }

        return writes;
    }
}
