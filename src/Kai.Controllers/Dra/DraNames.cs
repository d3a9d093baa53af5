using k8s.Models;

namespace Kai.Controllers.Dra;

/// <summary>KAI's conventions for Dynamic Resource Allocation objects.</summary>
public static class DraNames
{
    /// <summary>Kubernetes' limit on a claim's <c>status.reservedFor</c> (ResourceClaimReservedForMaxSize).</summary>
    public const int MaxConsumers = 256;

    /// <summary>
    /// Whether a device class (of a claim's request) or a driver (of a ResourceSlice) is a GPU, as KAI decides: its
    /// name contains "gpu" in any case (<c>nvidia.com/gpu</c>, <c>gpu.nvidia.com</c>, <c>gpu.example.com</c>).
    /// </summary>
    public static bool IsGpu(string? deviceClassOrDriver) =>
        deviceClassOrDriver is not null && deviceClassOrDriver.Contains("gpu", StringComparison.OrdinalIgnoreCase);

    /// <summary>The name of the claim a pod's claim reference stands for: its resourceClaimName, or the claim made for it from its template.</summary>
    public static string? ClaimNameOf(V1Pod pod, V1PodResourceClaim reference)
    {
        if (!string.IsNullOrEmpty(reference.ResourceClaimName))
        {
            return reference.ResourceClaimName;
        }

        foreach (var status in pod.Status?.ResourceClaimStatuses ?? [])
        {
            if (status.Name == reference.Name && !string.IsNullOrEmpty(status.ResourceClaimName))
            {
                return status.ResourceClaimName;
            }
        }

        return null;
    }

    /// <summary>The name the claim controller gives the claim a pod's template reference makes (deterministic; Kubernetes adds a random suffix).</summary>
    public static string GeneratedClaimName(V1Pod pod, V1PodResourceClaim reference) => $"{pod.Metadata.Name}-{reference.Name}";
}
