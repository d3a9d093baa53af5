using System.Globalization;
using k8s.Models;
using Kai.Cluster.Quantities;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.ScaleAdjust;

/// <summary>
/// KAI's scaling pods: for a pending pod that shares GPUs (<c>gpu-fraction</c> or <c>gpu-memory</c>), a pod named
/// <c>&lt;namespace&gt;-&lt;pod&gt;</c> that asks for as many whole GPUs as the pod shares devices, plus the pod's CPU
/// and memory requests, with its node selector, affinity and tolerations — and no schedulerName, so kube-scheduler
/// and a cluster autoscaler see an ordinary GPU pod they can add a node for.
/// </summary>
internal static class ScalingPods
{
    /// <summary>The <c>app</c> label of every scaling pod.</summary>
    public const string AppLabelValue = "scaling-pod";

    /// <summary>The label naming the pod a scaling pod stands for.</summary>
    public const string TargetNameLabel = "shared-gpu-pod-name";

    /// <summary>The label naming that pod's namespace.</summary>
    public const string TargetNamespaceLabel = "shared-gpu-pod-namespace";

    private const string ContainerName = "scaling-pod";

    public static string NameFor(V1Pod target) => $"{target.Metadata.NamespaceProperty}-{target.Metadata.Name}";

    /// <summary>Whether <paramref name="pod"/> asks for a share of GPUs (KAI's "fractional" pod).</summary>
    public static bool SharesGpus(V1Pod pod) =>
        pod.Metadata.Annotations is { } annotations
        && (annotations.ContainsKey(KaiConventions.GpuFractionAnnotation) || annotations.ContainsKey(KaiConventions.GpuMemoryAnnotation));

    /// <summary>How many devices the pod shares (<c>gpu-fraction-num-devices</c>, default 1), or null when that annotation is invalid.</summary>
    public static int? DevicesOf(V1Pod pod)
    {
        if (pod.Metadata.Annotations?.TryGetValue(KaiConventions.GpuFractionDevicesAnnotation, out var text) != true)
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var devices) && devices >= 1 ? devices : null;
    }

    /// <summary>The share of one device the pod asks for: its <c>gpu-fraction</c>, or the memory ratio for a <c>gpu-memory</c> pod; null when invalid.</summary>
    public static double? ShareOf(V1Pod pod, double gpuMemoryToFractionRatio)
    {
        var annotations = pod.Metadata.Annotations!;
        if (annotations.TryGetValue(KaiConventions.GpuFractionAnnotation, out var text))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and <= 1 ? fraction : null;
        }

        return gpuMemoryToFractionRatio;
    }

    /// <summary>The whole GPUs a scaling pod asks for (its request of <c>nvidia.com/gpu</c>).</summary>
    public static long GpusOf(V1Pod scalingPod) =>
        scalingPod.Spec?.Containers is [{ Resources.Requests: { } requests }, ..] && requests.TryGetValue(KaiConventions.GpuResource, out var quantity)
            ? (long)quantity.ToDecimal()
            : 0;

    /// <summary>The scaling pod for <paramref name="target"/>, which shares <paramref name="devices"/> GPUs.</summary>
    public static V1Pod For(V1Pod target, int devices, NodeScaleAdjusterOptions options)
    {
        var gpus = new ResourceQuantity(devices.ToString(CultureInfo.InvariantCulture));
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { [KaiConventions.GpuResource] = gpus };
        AddUp(requests, target, "cpu");
        AddUp(requests, target, "memory");
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = NameFor(target),
                NamespaceProperty = options.Namespace,
                Labels = new Dictionary<string, string>
                {
                    ["app"] = AppLabelValue,
                    [TargetNameLabel] = target.Metadata.Name,
                    [TargetNamespaceLabel] = target.Metadata.NamespaceProperty ?? "default",
                },
            },
            Spec = new V1PodSpec
            {
                Affinity = target.Spec?.Affinity,
                Tolerations = target.Spec?.Tolerations,
                NodeSelector = target.Spec?.NodeSelector,
                RestartPolicy = "OnFailure",
                ServiceAccountName = options.ScalingPodServiceAccount.Length > 0 ? options.ScalingPodServiceAccount : null,
                Containers =
                [
                    new V1Container
                    {
                        Name = ContainerName,
                        Image = options.ScalingPodImage,
                        ImagePullPolicy = "IfNotPresent",
                        Args = options.ScalingPodArgs.Count > 0 ? [.. options.ScalingPodArgs] : null,
                        Resources = new V1ResourceRequirements
                        {
                            Requests = requests,
                            Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { [KaiConventions.GpuResource] = gpus },
                        },
                    },
                ],
            },
        };
    }

    /// <summary>Adds the target's regular containers' requests of <paramref name="resource"/>, as KAI sums them.</summary>
    private static void AddUp(Dictionary<string, ResourceQuantity> requests, V1Pod target, string resource)
    {
        Quantity? total = null;
        foreach (var container in target.Spec?.Containers ?? [])
        {
            if (container.Resources?.Requests?.TryGetValue(resource, out var quantity) == true && Quantity.TryParse(quantity.ToString(), out var value, out _))
            {
                total = (total ?? Quantity.Zero) + value;
            }
        }

        if (total is { } sum)
        {
            requests[resource] = new ResourceQuantity(QuantityFormat.Canonical(sum, binary: resource == "memory"));
        }
    }
}
