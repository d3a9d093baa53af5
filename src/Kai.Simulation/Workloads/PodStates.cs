using k8s.Models;

namespace Kai.Simulation.Workloads;

/// <summary>How controllers classify pods, as Kubernetes' controllers do.</summary>
internal static class PodStates
{
    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == "Succeeded";

    public static bool IsFailed(V1Pod pod) => pod.Status?.Phase == "Failed";

    public static bool IsTerminal(V1Pod pod) => IsSucceeded(pod) || IsFailed(pod);

    public static bool IsTerminating(V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    /// <summary>Pending or running, and not being deleted.</summary>
    public static bool IsActive(V1Pod pod) => !IsTerminal(pod) && !IsTerminating(pod);

    public static bool IsRunning(V1Pod pod) => pod.Status?.Phase == "Running";

    /// <summary>Running with the Ready condition.</summary>
    public static bool IsReady(V1Pod pod) =>
        IsRunning(pod) && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && !IsTerminating(pod);

    /// <summary>Container restarts so far (the kubelet's count).</summary>
    public static int Restarts(V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
}
