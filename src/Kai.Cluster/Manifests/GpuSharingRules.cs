using System.Globalization;
using k8s.Models;

namespace Kai.Cluster.Manifests;

/// <summary>
/// KAI's admission webhook checks of GPU-sharing requests (gpu_request_validator.go), for pods with
/// <c>schedulerName: kai-scheduler</c> only: a <c>gpu-fraction</c> is a number above 0 and below 1 and comes without
/// an nvidia.com/gpu limit; <c>gpu-memory</c> is a whole number of MiB above 0 and comes without a fraction or whole
/// GPUs; <c>gpu-fraction-num-devices</c> is a whole number above 0 and needs a fraction or a memory request;
/// <c>mps: "true"</c> needs a fraction or a memory request. KAI rejects the pod otherwise, so it is an error here.
/// </summary>
internal static class GpuSharingRules
{
    private const string SchedulerName = "kai-scheduler";
    private const string GpuResource = "nvidia.com/gpu";
    private const string Fraction = "gpu-fraction";
    private const string Memory = "gpu-memory";
    private const string Devices = "gpu-fraction-num-devices";
    private const string Mps = "mps";

    public static void Check(V1Pod pod, ValidationContext context)
    {
        if (!string.Equals(pod.Spec?.SchedulerName, SchedulerName, StringComparison.Ordinal))
        {
            return;
        }

        var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        CheckCombinations(annotations, FirstGpuLimit(pod), context);
        CheckValues(annotations, context);
    }

    private static void CheckCombinations(IDictionary<string, string> annotations, string? wholeGpus, ValidationContext context)
    {
        var hasFraction = annotations.TryGetValue(Fraction, out var fraction);
        var hasMemory = annotations.ContainsKey(Memory);
        var hasDevices = annotations.ContainsKey(Devices);

        if (hasFraction && wholeGpus is not null)
        {
            context.Error(
                $"annotation {Fraction} \"{fraction}\" is combined with {wholeGpus} {GpuResource}; KAI's admission rejects a pod that asks for both. " +
                $"Keep the annotation to share one GPU, or the {GpuResource} limit for whole GPUs",
                AnnotationPath(Fraction));
        }

        if (hasMemory && (hasFraction || wholeGpus is not null))
        {
            context.Error(
                $"annotation {Memory} is combined with {(hasFraction ? $"annotation {Fraction}" : $"{wholeGpus} {GpuResource}")}; KAI's admission rejects " +
                "a pod that asks for both GPU memory and GPUs. Keep one of them",
                AnnotationPath(Memory));
        }

        if (hasDevices && !hasFraction && !hasMemory)
        {
            context.Error(
                $"annotation {Devices} needs annotation {Fraction} or {Memory}: it says how many devices receive that share. Add e.g. {Fraction}: \"0.5\" or remove it",
                AnnotationPath(Devices));
        }

        if (annotations.TryGetValue(Mps, out var mps) && mps == "true" && !hasFraction && !hasMemory)
        {
            context.Error($"annotation {Mps}: \"true\" needs a GPU share ({Fraction} or {Memory}); KAI's admission rejects it otherwise", AnnotationPath(Mps));
        }

    }

    private static void CheckValues(IDictionary<string, string> annotations, ValidationContext context)
    {
        if (annotations.TryGetValue(Fraction, out var fraction) && !IsFraction(fraction))
        {
            context.Error(
                $"annotation {Fraction} is \"{fraction}\"; it must be a number above 0 and below 1, e.g. \"0.5\" (for a whole GPU use {GpuResource}: 1 under resources.limits)",
                AnnotationPath(Fraction));
        }

        if (annotations.TryGetValue(Memory, out var memory) && !IsPositiveWholeNumber(memory))
        {
            context.Error($"annotation {Memory} is \"{memory}\"; it must be a whole number of MiB above 0, e.g. \"4096\"", AnnotationPath(Memory));
        }

        if (annotations.TryGetValue(Devices, out var devices) && !IsPositiveWholeNumber(devices))
        {
            context.Error($"annotation {Devices} is \"{devices}\"; it must be a whole number above 0, e.g. \"2\"", AnnotationPath(Devices));
        }
    }

    private static object[] AnnotationPath(string annotation) => ["metadata", "annotations", annotation];

    // Go's strconv.ParseFloat, as KAI parses it: decimal or exponent notation; KAI requires 0 < value < 1.
    private static bool IsFraction(string text) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) &&
        value > 0 && value < 1;

    // Go's strconv.ParseUint(text, 10, 64) and not 0.
    private static bool IsPositiveWholeNumber(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;

    private static string? FirstGpuLimit(V1Pod pod)
    {
        foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
        {
            if (container.Resources?.Limits is { } limits && limits.TryGetValue(GpuResource, out var limit))
            {
                return limit.ToString();
            }
        }

        return null;
    }
}
