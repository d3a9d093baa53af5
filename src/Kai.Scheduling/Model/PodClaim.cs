namespace Kai.Scheduling.Model;

/// <summary>
/// One Dynamic Resource Allocation claim a pod uses (<c>spec.resourceClaims</c>), as the cluster adapter resolved it:
/// the claim's <c>namespace/name</c> (pods naming the same claim share its devices, so they must share a node), the
/// node it is already allocated on (null while unallocated), and how many devices it needs on a node that would
/// allocate it (0 once allocated). The GPUs of a GPU claim are in the <see cref="Pod.Request"/> of one of the pods
/// that use it, so a shared claim counts once.
/// </summary>
public sealed record PodClaim(string Claim, string? AllocatedNode, int Devices)
{
    /// <summary>What an unallocated claim asks for, request by request (the session's device book allocates it).</summary>
    public IReadOnlyList<DeviceRequest> Requests { get; init; } = [];

    /// <summary>The devices an allocated claim holds (its status, or the live bind request that allocates it).</summary>
    public IReadOnlyList<ClaimDevice> Allocation { get; init; } = [];
}
