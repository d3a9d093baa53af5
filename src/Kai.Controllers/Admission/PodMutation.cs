using k8s.Models;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Admission;

/// <summary>
/// KAI's mutating pod webhook, on create: <b>gpusharing</b> (a pod asking for a GPU share gets its shared-GPU
/// ConfigMap name in <c>runai/shared-gpu-configmap</c>, and its sharing container the environment and volume that
/// read it) and <b>runtimeenforcement</b> (a GPU pod without a runtimeClassName gets the configured one).
/// </summary>
internal sealed class PodMutation(KaiAdmissionOptions options)
{
    private const string GpuResource = "nvidia.com/gpu";
    private const int MaxBaseNameLength = 30;
    private const string RandomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Random _random = new(options.RandomSeed);
    private readonly Lock _randomGate = new();

    /// <summary>Changes <paramref name="pod"/> (a copy owned by the caller) in place; true when anything changed.</summary>
    public bool Apply(V1Pod pod)
    {
        var changed = ShareGpu(pod);
        changed |= EnforceRuntimeClass(pod);
        return changed;
    }

    public static bool AsksForGpuShare(V1Pod pod) =>
        pod.Metadata.Annotations is { } annotations &&
        (annotations.ContainsKey(KaiConventions.GpuFractionAnnotation) || annotations.ContainsKey(KaiConventions.GpuMemoryAnnotation));

    private bool ShareGpu(V1Pod pod)
    {
        if (!AsksForGpuShare(pod) || pod.Spec?.Containers is not { Count: > 0 } containers)
        {
            return false;
        }

        var annotations = pod.Metadata.Annotations!;
        if (!annotations.TryGetValue(KaiConventions.SharedGpuConfigMapAnnotation, out var prefix) || string.IsNullOrEmpty(prefix))
        {
            prefix = $"{BaseName(pod)}-{RandomSuffix()}-shared-gpu";
            annotations[KaiConventions.SharedGpuConfigMapAnnotation] = prefix;
        }

        var index = SharingContainerIndex(pod, containers);
        var container = containers[index];
        var configMap = $"{prefix}-{index}";
        container.Env ??= [];
        foreach (var key in (string[])["NVIDIA_VISIBLE_DEVICES", "RUNAI_NUM_OF_GPUS", "GPU_PORTION"])
        {
            if (!container.Env.Any(e => e.Name == key))
            {
                container.Env.Add(new V1EnvVar
                {
                    Name = key,
                    ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = configMap, Key = key } },
                });
            }
        }

        container.EnvFrom ??= [];
        if (!container.EnvFrom.Any(e => e.ConfigMapRef?.Name == $"{configMap}-evar"))
        {
            container.EnvFrom.Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = $"{configMap}-evar" } });
        }

        // KAI adds the volume without mounting it; it keeps the ConfigMap a dependency of the pod.
        pod.Spec.Volumes ??= [];
        if (!pod.Spec.Volumes.Any(v => v.Name == $"{configMap}-vol"))
        {
            pod.Spec.Volumes.Add(new V1Volume { Name = $"{configMap}-vol", ConfigMap = new V1ConfigMapVolumeSource { Name = configMap } });
        }

        return true;
    }

    private bool EnforceRuntimeClass(V1Pod pod)
    {
        if (string.IsNullOrEmpty(options.GpuPodRuntimeClassName)
            || pod.Spec is null
            || !string.IsNullOrEmpty(pod.Spec.RuntimeClassName)
            || pod.Metadata.NamespaceProperty == KaiConventions.ReservationNamespace
            || !(AsksForGpuShare(pod) || AsksForWholeGpus(pod)))
        {
            return false;
        }

        pod.Spec.RuntimeClassName = options.GpuPodRuntimeClassName;
        return true;
    }

    private static bool AsksForWholeGpus(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).Any(c =>
            c.Resources?.Limits?.ContainsKey(GpuResource) == true || c.Resources?.Requests?.ContainsKey(GpuResource) == true);

    private static int SharingContainerIndex(V1Pod pod, IList<V1Container> containers)
    {
        if (pod.Metadata.Annotations!.TryGetValue(KaiConventions.GpuFractionContainerNameAnnotation, out var name))
        {
            for (var i = 0; i < containers.Count; i++)
            {
                if (containers[i].Name == name)
                {
                    return i;
                }
            }
        }

        return 0;
    }

    // The owner's name when there is one (all pods of a workload share it), else the pod's.
    private static string BaseName(V1Pod pod)
    {
        var name = pod.Metadata.OwnerReferences?.FirstOrDefault()?.Name
            ?? (string.IsNullOrEmpty(pod.Metadata.Name) ? pod.Metadata.GenerateName?.TrimEnd('-') : pod.Metadata.Name)
            ?? "pod";
        return name.Length <= MaxBaseNameLength ? name : name[..MaxBaseNameLength].TrimEnd('-', '.');
    }

    private string RandomSuffix()
    {
        Span<char> chars = stackalloc char[7];
        lock (_randomGate)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = RandomAlphabet[_random.Next(RandomAlphabet.Length)];
            }
        }

        return new string(chars);
    }
}
