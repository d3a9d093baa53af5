using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Dra;

namespace Kai.Controllers.Binding;

/// <summary>
/// The binder's DRA step (KAI's dynamicresources PreBind): for each claim allocation of a bind request, the pod is added
/// to the claim's <c>status.reservedFor</c> and the allocation is written if the claim has none yet.
/// </summary>
internal sealed class ClaimStatusWriter(ICluster cluster)
{
    public async ValueTask WriteAsync(V1Pod pod, IList<ResourceClaimAllocation> allocations, CancellationToken cancellationToken)
    {
        foreach (var allocation in allocations)
        {
            var reference = pod.Spec?.ResourceClaims?.FirstOrDefault(r => r.Name == allocation.Name);
            if (reference is null || DraNames.ClaimNameOf(pod, reference) is not { } name)
            {
                continue;
            }

            // Retried on conflict: several pods sharing a claim may be bound in one run.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (await cluster.GetAsync<Resourcev1ResourceClaim>(pod.Metadata.NamespaceProperty, name, cancellationToken).ConfigureAwait(false) is not { } claim)
                {
                    break;
                }

                var reserved = claim.Status?.ReservedFor ?? [];
                var isReserved = reserved.Any(r => r.Resource == "pods" && r.Name == pod.Metadata.Name && r.Uid == pod.Metadata.Uid);
                if (isReserved && claim.Status?.Allocation is not null)
                {
                    break;
                }

                var updated = KubeObjects.ShallowCopy(claim);
                updated.Status = new V1ResourceClaimStatus
                {
                    Allocation = claim.Status?.Allocation ?? allocation.Allocation,
                    Devices = claim.Status?.Devices,
                    ReservedFor = isReserved ? [.. reserved] : [.. reserved, new V1ResourceClaimConsumerReference { Resource = "pods", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid }],
                };
                try
                {
                    await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
                {
                    // Read again and retry.
                }
            }
        }
    }
}
