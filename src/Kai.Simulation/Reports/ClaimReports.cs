using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Dra;

namespace Kai.Simulation.Reports;

/// <summary>
/// The DRA claims after the last cycle: their status as the cluster holds it, with the allocations of bind requests the
/// binder has not carried out yet applied as it would (allocation if none, the pod added to <c>reservedFor</c>).
/// </summary>
internal static class ClaimReports
{
    public static IReadOnlyList<ResourceClaimReport> Build(IReadOnlyList<Resourcev1ResourceClaim> claims, IReadOnlyList<V1Pod> pods, IReadOnlyList<BindRequest> bindRequests)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        var statuses = claims.ToDictionary(
            DraInventory.KeyOf,
            c => new V1ResourceClaimStatus { Allocation = c.Status?.Allocation, ReservedFor = c.Status?.ReservedFor is { } r ? [.. r] : null },
            StringComparer.Ordinal);
        var podsByKey = pods.ToDictionary(p => $"{p.Metadata.NamespaceProperty ?? "default"}/{p.Metadata.Name}", StringComparer.Ordinal);
        foreach (var request in bindRequests)
        {
            var ns = request.Metadata.NamespaceProperty ?? "default";
            if (request.Status?.Phase is BindRequestStatus.PhaseSucceeded or BindRequestStatus.PhaseFailed
                || request.Spec?.ResourceClaimAllocations is not { Count: > 0 } allocations
                || !podsByKey.TryGetValue($"{ns}/{request.Spec.PodName ?? request.Metadata.Name}", out var pod))
            {
                continue;
            }

            foreach (var allocation in allocations)
            {
                var reference = pod.Spec?.ResourceClaims?.FirstOrDefault(r => r.Name == allocation.Name);
                if (reference is null || DraNames.ClaimNameOf(pod, reference) is not { } name || !statuses.TryGetValue($"{ns}/{name}", out var status))
                {
                    continue;
                }

                status.Allocation ??= allocation.Allocation;
                status.ReservedFor ??= [];
                if (!status.ReservedFor.Any(r => r.Name == pod.Metadata.Name && r.Uid == pod.Metadata.Uid))
                {
                    status.ReservedFor.Add(new V1ResourceClaimConsumerReference { Resource = "pods", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid });
                }
            }
        }

        return [.. claims.Select(c =>
        {
            var status = statuses[DraInventory.KeyOf(c)];
            return new ResourceClaimReport(
                c.Metadata.NamespaceProperty ?? "default",
                c.Metadata.Name,
                ClaimReportStatus.Of(status));
        })];
    }
}
