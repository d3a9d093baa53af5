using System.Globalization;
using k8s.Models;
using Kai.Cluster.Quantities;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Status;

/// <summary>
/// What KAI's podgroup-controller counts for one pod: <b>requested</b> (pods Pending or Running) — the containers'
/// requests (a request left out defaults to the limit, as the API server defaults it), plus
/// <c>nvidia.com/gpu</c> = gpu-fraction × devices and <c>run.ai/gpu.memory</c> = gpu-memory × devices; and
/// <b>allocated</b> (Running pods, and Pending pods with <c>PodScheduled=True</c>) — the containers' requests plus, for a
/// pod that received a GPU fraction (<c>received-resource-type: Fraction</c>), the fraction: its gpu-fraction, or its
/// gpu-memory divided by its node's <c>nvidia.com/gpu.memory</c>.
/// </summary>
internal static class PodGroupResources
{
    public const string GpuMemoryResource = "run.ai/gpu.memory";

    public static bool IsRequesting(V1Pod pod) => pod.Status?.Phase is "Pending" or "Running";

    public static bool IsAllocated(V1Pod pod) =>
        pod.Status?.Phase == "Running"
        || (pod.Status?.Phase == "Pending" && pod.Status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled")?.Status == "True");

    public static void AddRequested(ResourceTotals totals, V1Pod pod)
    {
        AddContainerRequests(totals, pod);
        var annotations = pod.Metadata.Annotations;
        if (annotations is null)
        {
            return;
        }

        var devices = Devices(annotations);
        if (annotations.TryGetValue(KaiConventions.GpuFractionAnnotation, out var fraction) && Quantity.TryParse(fraction, out var portion, out _) && !portion.IsZero)
        {
            totals.Add(KaiConventions.GpuResource, portion.Times(devices));
        }

        if (annotations.TryGetValue(KaiConventions.GpuMemoryAnnotation, out var memory) && Quantity.TryParse(memory, out var mib, out _))
        {
            totals.Add(GpuMemoryResource, mib.Times(devices));
        }
    }

    /// <param name="totals">Where to add.</param>
    /// <param name="pod">An allocated pod.</param>
    /// <param name="nodeGpuMemory">The memory (MiB) of one GPU on the pod's node, when known.</param>
    public static void AddAllocated(ResourceTotals totals, V1Pod pod, long? nodeGpuMemory)
    {
        AddContainerRequests(totals, pod);
        var annotations = pod.Metadata.Annotations;
        if (annotations?.TryGetValue(KaiConventions.ReceivedResourceTypeAnnotation, out var type) != true || type != "Fraction")
        {
            return;
        }

        if (annotations.TryGetValue(KaiConventions.GpuFractionAnnotation, out var fraction) && Quantity.TryParse(fraction, out var portion, out _))
        {
            totals.Add(KaiConventions.GpuResource, portion);
        }
        else if (annotations.TryGetValue(KaiConventions.GpuMemoryAnnotation, out var memory)
            && long.TryParse(memory, NumberStyles.None, CultureInfo.InvariantCulture, out var mib)
            && nodeGpuMemory is > 0 and { } perGpu)
        {
            // KAI divides in floating point; an exact quotient is kept exact here.
            var share = Quantity.FromUnits(mib).DividedExactlyBy(perGpu)
                ?? Quantity.Parse(((double)mib / perGpu).ToString("R", CultureInfo.InvariantCulture));
            totals.Add(KaiConventions.GpuResource, share);
        }
    }

    private static void AddContainerRequests(ResourceTotals totals, V1Pod pod)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var requests = container.Resources?.Requests;
            totals.Add(requests);

            // The API server fills a missing request from the limit.
            foreach (var (resource, limit) in container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>())
            {
                if (requests?.ContainsKey(resource) != true && QuantityValidation.TryFromResourceQuantity(limit, out var amount, out _))
                {
                    totals.Add(resource, amount);
                }
            }
        }
    }

    private static long Devices(IDictionary<string, string> annotations) =>
        annotations.TryGetValue(KaiConventions.GpuFractionDevicesAnnotation, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var devices) && devices > 0
            ? devices
            : 1;
}
