using k8s.Models;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Dra;

/// <summary>
/// Resolves the Dynamic Resource Allocation claims of the pods that have any, for one cycle: which claim each
/// reference names, the node an allocated claim pins its pods to, how many devices an unallocated one needs, and the
/// claim's GPUs (requests of a GPU device class, KAI's rule) added as whole GPUs to one pod per claim — the pod that
/// holds it, else the oldest waiting one — so a claim shared by several pods counts once. A pod whose claims can
/// never be allocated (missing, of an unknown class, more devices than any node has, a shared GPU claim without the
/// job's queue label, no room in <c>reservedFor</c>, features not evaluated here) waits with the reason.
/// </summary>
internal static class ClaimResolver
{
    /// <summary>The pods with claims as the engine should see them this cycle.</summary>
    /// <param name="pods">Pods with <c>spec.resourceClaims</c>: the object and its mapping.</param>
    /// <param name="dra">Classes, slices and claims.</param>
    /// <param name="queueOf">The queue of a pod's job (its pod group's, else its label), or null.</param>
    public static IReadOnlyList<Pod> Resolve(IReadOnlyList<(V1Pod Raw, Pod Mapped)> pods, DraInventory dra, Func<V1Pod, Pod, string?> queueOf)
    {
        var references = ReadReferences(pods, dra);
        var most = dra.MostOnOneNode();
        var claims = new Dictionary<string, Resolved>(StringComparer.Ordinal);
        foreach (var (key, users) in references.UsersByClaim)
        {
            var claim = dra.Claims[key];
            var resolved = WithPendingAllocation(Demand(claim, dra, most, out var unusable), key, users, pods, dra);
            var reservedUids = ReservedUids(claim);
            claims[key] = resolved with { Carrier = CarrierOf(users, pods, reservedUids) };
            foreach (var p in users)
            {
                references.Reasons[p] ??= unusable ?? QueueLabelProblem(references.Uses[p].First(u => u.Key == key), resolved, pods[p], queueOf);
            }

            RefuseConsumersBeyondReservedFor(key, claim, users, pods, reservedUids, references.Reasons);
        }

        var result = new Pod[pods.Count];
        for (var p = 0; p < pods.Count; p++)
        {
            result[p] = WithClaims(pods[p].Mapped, p, references.Uses[p], claims, references.Reasons[p]);
        }

        return result;
    }

    /// <summary>Each pod's claim references resolved to claims, the pods using each claim, and references that name none.</summary>
    private static References ReadReferences(IReadOnlyList<(V1Pod Raw, Pod Mapped)> pods, DraInventory dra)
    {
        var references = new References(new List<Use>[pods.Count], new string?[pods.Count], new Dictionary<string, List<int>>(StringComparer.Ordinal));
        for (var p = 0; p < pods.Count; p++)
        {
            var raw = pods[p].Raw;
            references.Uses[p] = [];
            foreach (var reference in raw.Spec?.ResourceClaims ?? [])
            {
                var name = DraNames.ClaimNameOf(raw, reference);
                if (name is null)
                {
                    references.Reasons[p] ??= MissingTemplateClaim(raw, reference, dra);
                    continue;
                }

                var key = $"{raw.Metadata.NamespaceProperty ?? "default"}/{name}";
                if (!dra.Claims.TryGetValue(key, out var claim))
                {
                    references.Reasons[p] ??= $"resource claim {key} (spec.resourceClaims {reference.Name}) does not exist";
                    continue;
                }

                references.Uses[p].Add(new Use(key, claim, Shared: !string.IsNullOrEmpty(reference.ResourceClaimName)));
                if (!references.UsersByClaim.TryGetValue(key, out var users))
                {
                    users = [];
                    references.UsersByClaim[key] = users;
                }

                users.Add(p);
            }
        }

        return references;
    }

    /// <summary>Why a reference whose claim would come from a template names no claim yet.</summary>
    private static string MissingTemplateClaim(V1Pod raw, V1PodResourceClaim reference, DraInventory dra)
    {
        var template = $"{raw.Metadata.NamespaceProperty ?? "default"}/{reference.ResourceClaimTemplateName}";
        return string.IsNullOrEmpty(reference.ResourceClaimTemplateName)
            ? $"spec.resourceClaims {reference.Name} names neither a claim nor a template"
            : dra.HasTemplate(template)
                ? $"spec.resourceClaims {reference.Name}: the claim from template {template} has not been made yet (the resource-claim controller makes it)"
                : $"spec.resourceClaims {reference.Name}: resource claim template {template} does not exist (a DRA driver's controller, e.g. for a ComputeDomain, would create it)";
    }

    private static HashSet<string> ReservedUids(Resourcev1ResourceClaim claim) =>
        (claim.Status?.ReservedFor ?? []).Select(r => r.Uid).Where(u => !string.IsNullOrEmpty(u)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The pod that counts the claim's GPUs: one it is reserved for or that runs with it, else the oldest waiting
    /// pod; -1 when none of its users is alive.
    /// </summary>
    private static int CarrierOf(List<int> users, IReadOnlyList<(V1Pod Raw, Pod Mapped)> pods, HashSet<string> reservedUids) =>
        users.Where(p => pods[p].Mapped.Status.IsAlive() || pods[p].Mapped.Status == PodStatus.Releasing)
            .OrderBy(p => reservedUids.Contains(pods[p].Mapped.Uid) ? 0 : 1)
            .ThenBy(p => pods[p].Mapped.Status.IsActiveUsed() ? 0 : 1)
            .ThenBy(p => pods[p].Mapped.CreationTimestamp)
            .ThenBy(p => pods[p].Mapped.Name, StringComparer.Ordinal)
            .Select(p => (int?)p)
            .FirstOrDefault() ?? -1;

    /// <summary>KAI: a GPU claim shared by name must say which queue it belongs to, the job's.</summary>
    private static string? QueueLabelProblem(Use use, Resolved resolved, (V1Pod Raw, Pod Mapped) pod, Func<V1Pod, Pod, string?> queueOf)
    {
        if (!use.Shared || resolved.Gpus == 0)
        {
            return null;
        }

        var queue = queueOf(pod.Raw, pod.Mapped);
        var label = use.Claim.Metadata.Labels is { } labels && labels.TryGetValue(KaiConventions.QueueLabel, out var value) ? value : null;
        if (label is not null && string.Equals(label, queue, StringComparison.Ordinal))
        {
            return null;
        }

        return label is null
            ? $"resource claim {use.Key} is shared (named by resourceClaimName) and asks for GPUs, so it must carry the label {KaiConventions.QueueLabel}={queue} (its job's queue); it has none"
            : $"resource claim {use.Key} is shared and labelled {KaiConventions.QueueLabel}={label}, but the pod's job is in queue {queue}";
    }

    /// <summary>Kubernetes reserves a claim for at most 256 consumers: waiting pods beyond that, oldest first, cannot get it.</summary>
    private static void RefuseConsumersBeyondReservedFor(string key, Resourcev1ResourceClaim claim, List<int> users, IReadOnlyList<(V1Pod Raw, Pod Mapped)> pods, HashSet<string> reservedUids, string?[] reasons)
    {
        var reserved = claim.Status?.ReservedFor?.Count ?? 0;
        var room = DraNames.MaxConsumers - reserved;
        foreach (var p in users
            .Where(p => pods[p].Mapped.Status == PodStatus.Pending && !reservedUids.Contains(pods[p].Mapped.Uid))
            .OrderBy(p => pods[p].Mapped.CreationTimestamp)
            .ThenBy(p => pods[p].Mapped.Name, StringComparer.Ordinal))
        {
            if (room-- <= 0)
            {
                reasons[p] ??= $"resource claim {key} is already reserved for {reserved} consumers (with the pods before this one, {DraNames.MaxConsumers}, the most Kubernetes allows)";
            }
        }
    }

    /// <summary>The pod with its claims, the GPUs of the claims it carries added to its request, and the reason it cannot be scheduled.</summary>
    private static Pod WithClaims(Pod mapped, int p, List<Use> uses, Dictionary<string, Resolved> claims, string? reason)
    {
        var gpus = 0L;
        var podClaims = new List<PodClaim>(uses.Count);
        foreach (var use in uses)
        {
            var resolved = claims[use.Key];
            if (resolved.Carrier == p)
            {
                gpus += resolved.Gpus * ResourceVector.MilliPerGpu;
            }

            podClaims.Add(new PodClaim(use.Key, resolved.Node, resolved.Node is null ? resolved.Devices : 0)
            {
                Requests = resolved.Requests,
                Allocation = resolved.Allocation,
            });
        }

        return mapped with
        {
            Request = mapped.Request.WithGpu(mapped.Request.Gpu + gpus),
            Claims = podClaims,
            Unsupported = mapped.Unsupported ?? reason,
        };
    }

    /// <summary>What a claim asks for and where it is allocated; <paramref name="unusable"/> says why it can never be allocated.</summary>
    private static Resolved Demand(Resourcev1ResourceClaim claim, DraInventory dra, (int Gpus, int Devices) most, out string? unusable)
    {
        unusable = null;
        var key = DraInventory.KeyOf(claim);
        var gpus = 0;
        var devices = 0;
        var requests = new List<DeviceRequest>();
        foreach (var request in claim.Spec?.Devices?.Requests ?? [])
        {
            if (request.Exactly is not { } exactly)
            {
                unusable ??= $"resource claim {key}, request {request.Name}: firstAvailable (prioritized alternatives) is not supported by this scheduler; use exactly";
                continue;
            }

            if (!dra.Classes.TryGetValue(exactly.DeviceClassName ?? string.Empty, out var deviceClass))
            {
                unusable ??= $"resource claim {key}, request {request.Name}: device class {exactly.DeviceClassName} does not exist";
                continue;
            }

            if (!DriverSelector.TryRead((exactly.Selectors ?? []).Concat(deviceClass.Spec?.Selectors ?? []), out var driver))
            {
                unusable ??= $"resource claim {key}, request {request.Name}: CEL device selectors (of the request or of class {deviceClass.Metadata.Name}) are not evaluated by this scheduler, except {DriverSelector.Supported}";
                continue;
            }

            // KAI counts allocationMode All as one device; it needs at least one.
            var all = string.Equals(exactly.AllocationMode, "All", StringComparison.Ordinal);
            var count = all ? 1 : (int)Math.Max(1, exactly.Count ?? 1);
            devices += count;
            requests.Add(new DeviceRequest(request.Name, deviceClass.Metadata.Name, count) { All = all, Driver = driver, GpuOnly = DraNames.IsGpu(exactly.DeviceClassName) });
            if (DraNames.IsGpu(exactly.DeviceClassName))
            {
                gpus += count;
            }
        }

        if (unusable is null && gpus > most.Gpus)
        {
            unusable = $"resource claim {key} asks for {gpus} GPUs; no node publishes more than {most.Gpus} GPU devices in its ResourceSlices";
        }
        else if (unusable is null && devices > most.Devices)
        {
            unusable = $"resource claim {key} asks for {devices} devices; no node publishes more than {most.Devices} in its ResourceSlices";
        }

        return new Resolved(gpus, devices, AllocatedNodeOf(claim), -1)
        {
            Requests = requests,
            Allocation = DevicesOf(claim.Status?.Allocation),
        };
    }

    /// <summary>
    /// A claim no status says is allocated, but that a pod's bind request not yet carried out allocates: it is
    /// allocated as the request says (the binder will write that), so its devices are not given twice.
    /// </summary>
    private static Resolved WithPendingAllocation(Resolved resolved, string key, List<int> users, IReadOnlyList<(V1Pod Raw, Pod Mapped)> pods, DraInventory dra)
    {
        if (resolved.Node is not null)
        {
            return resolved;
        }

        foreach (var p in users)
        {
            var raw = pods[p].Raw;
            var ns = raw.Metadata.NamespaceProperty ?? "default";
            foreach (var pending in dra.PendingAllocationsOf(ns, raw.Metadata.Name) ?? [])
            {
                var reference = raw.Spec?.ResourceClaims?.FirstOrDefault(r => r.Name == pending.Name);
                if (reference is not null && DraNames.ClaimNameOf(raw, reference) is { } name && $"{ns}/{name}" == key
                    && pending.Allocation is { } allocation && AllocatedNodeOf(allocation) is { } node)
                {
                    return resolved with { Node = node, Allocation = DevicesOf(allocation) };
                }
            }
        }

        return resolved;
    }

    /// <summary>The devices of an allocation, as the engine names them.</summary>
    private static IReadOnlyList<ClaimDevice> DevicesOf(V1AllocationResult? allocation) =>
        allocation?.Devices?.Results is { Count: > 0 } results
            ? [.. results.Select(r => new ClaimDevice(r.Request, new DraDevice(r.Driver, r.Pool, r.Device, DraNames.IsGpu(r.Driver))))]
            : [];

    /// <summary>The node an allocated claim is on (its allocation's node selector), or null.</summary>
    internal static string? AllocatedNodeOf(Resourcev1ResourceClaim claim) =>
        claim.Status?.Allocation is { } allocation ? AllocatedNodeOf(allocation) : null;

    /// <summary>The node an allocation is on (its node selector), or null.</summary>
    private static string? AllocatedNodeOf(V1AllocationResult allocation)
    {
        foreach (var term in allocation.NodeSelector?.NodeSelectorTerms ?? [])
        {
            foreach (var requirement in (term.MatchFields ?? []).Concat(term.MatchExpressions ?? []))
            {
                if (requirement.Key is "metadata.name" or "kubernetes.io/hostname" && requirement.OperatorProperty == "In" && requirement.Values is { Count: 1 } values)
                {
                    return values[0];
                }
            }
        }

        return null;
    }

    private sealed record Use(string Key, Resourcev1ResourceClaim Claim, bool Shared);

    /// <param name="Uses">Per pod, the claims its references name.</param>
    /// <param name="Reasons">Per pod, the first reason it can never be scheduled, or null.</param>
    /// <param name="UsersByClaim">Per claim key, the pods that use it, in pod order.</param>
    private sealed record References(List<Use>[] Uses, string?[] Reasons, Dictionary<string, List<int>> UsersByClaim);

    private sealed record Resolved(int Gpus, int Devices, string? Node, int Carrier)
    {
        public IReadOnlyList<DeviceRequest> Requests { get; init; } = [];

        public IReadOnlyList<ClaimDevice> Allocation { get; init; } = [];
    }
}
