using System.Globalization;
using System.Text.RegularExpressions;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Reads what a pod asks of GPUs as KAI's scheduler does (pod_info): <c>gpu-memory</c> (MiB) or <c>gpu-fraction</c>
/// (0 &lt; f ≤ 1, kept at 0.01 precision) make it share GPUs, <c>gpu-fraction-num-devices</c> on that many devices;
/// <c>nvidia.com/mig-&lt;g&gt;g.&lt;m&gt;gb</c> resources make it a MIG pod counting g × count GPUs. A value KAI's admission
/// would reject — not a number, out of range, or conflicting requests — leaves the pod unschedulable with the reason
/// (the manifest loader reports such pods before they get here; objects may also arrive through the API).
/// </summary>
internal static partial class GpuRequestReader
{
    /// <summary>The pod's GPU request; <paramref name="request"/> loses its whole GPUs when the pod shares GPUs.</summary>
    /// <param name="request">The effective request read from the containers.</param>
    /// <param name="annotations">The pod's annotations.</param>
    /// <param name="catalog">Names of extended resources (MIG profiles).</param>
    /// <param name="unsupported">Why the pod cannot be scheduled as written, or null.</param>
    public static GpuRequest Read(ref ResourceVector request, IDictionary<string, string> annotations, ResourceCatalog catalog, out string? unsupported)
    {
        unsupported = Conflict(request, annotations);
        if (unsupported is not null)
        {
            return GpuRequest.None;
        }

        var mig = MigMilli(request, catalog);
        if (mig > 0)
        {
            return GpuRequest.Mig(mig);
        }

        if (annotations.Keys.FirstOrDefault(k => k.StartsWith(KaiConventions.MigResourcePrefix, StringComparison.Ordinal)) is { } legacy)
        {
            unsupported = $"annotation {legacy} asks for a MIG instance the legacy way, which KAI does not schedule; request the {legacy} resource in the container instead";
            return GpuRequest.None;
        }

        var devices = 1;
        if (annotations.TryGetValue(KaiConventions.GpuFractionDevicesAnnotation, out var devicesText)
            && (!int.TryParse(devicesText, NumberStyles.None, CultureInfo.InvariantCulture, out devices) || devices < 1))
        {
            unsupported = $"annotation {KaiConventions.GpuFractionDevicesAnnotation} is \"{devicesText}\"; it must be a whole number above 0, e.g. \"2\"";
            return GpuRequest.None;
        }

        if (annotations.TryGetValue(KaiConventions.GpuFractionAnnotation, out var fractionText))
        {
            if (!double.TryParse(fractionText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var fraction)
                || !(fraction > 0 && fraction <= 1))
            {
                unsupported = $"annotation {KaiConventions.GpuFractionAnnotation} is \"{fractionText}\"; it must be a number above 0 and at most 1, e.g. \"0.5\"";
                return GpuRequest.None;
            }

            // KAI keeps fractions at 0.01 precision; the smallest share is 0.01.
            request = request.WithGpu(0);
            return GpuRequest.Fraction(Math.Max(1, (long)Math.Round(fraction * 100, MidpointRounding.AwayFromZero)) * 10, devices);
        }

        if (annotations.TryGetValue(KaiConventions.GpuMemoryAnnotation, out var memoryText))
        {
            if (!long.TryParse(memoryText, NumberStyles.None, CultureInfo.InvariantCulture, out var memory) || memory <= 0)
            {
                unsupported = $"annotation {KaiConventions.GpuMemoryAnnotation} is \"{memoryText}\"; it must be a whole number of MiB above 0, e.g. \"4096\"";
                return GpuRequest.None;
            }

            request = request.WithGpu(0);
            return GpuRequest.Memory(memory, devices);
        }

        return GpuRequest.None;
    }

    /// <summary>The GPUs one instance of a MIG resource counts (the g of <c>nvidia.com/mig-&lt;g&gt;g.&lt;m&gt;gb</c>), or 0 when the name is not one.</summary>
    public static int MigGpus(string resourceName)
    {
        var match = MigResource().Match(resourceName);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var gpus) ? gpus : 0;
    }

    /// <summary>Requests KAI's admission rejects together (gpu_request_validator.go).</summary>
    private static string? Conflict(in ResourceVector request, IDictionary<string, string> annotations)
    {
        var fraction = annotations.ContainsKey(KaiConventions.GpuFractionAnnotation);
        var memory = annotations.ContainsKey(KaiConventions.GpuMemoryAnnotation);
        var whole = request.Gpu > 0;
        if (fraction && memory)
        {
            return $"it asks for both {KaiConventions.GpuFractionAnnotation} and {KaiConventions.GpuMemoryAnnotation}; keep one of them";
        }

        if ((fraction || memory) && whole)
        {
            return $"it asks for a GPU share ({(fraction ? KaiConventions.GpuFractionAnnotation : KaiConventions.GpuMemoryAnnotation)}) and for whole {KaiConventions.GpuResource} too; keep one of them";
        }

        return !fraction && !memory && annotations.ContainsKey(KaiConventions.GpuFractionDevicesAnnotation)
            ? $"annotation {KaiConventions.GpuFractionDevicesAnnotation} needs {KaiConventions.GpuFractionAnnotation} or {KaiConventions.GpuMemoryAnnotation}: it says how many devices receive that share"
            : null;
    }

    private static long MigMilli(in ResourceVector request, ResourceCatalog catalog)
    {
        var mig = 0L;
        for (var i = 0; i < request.ExtendedCount; i++)
        {
            if (request.Extended(i) > 0 && MigGpus(catalog.NameOf(i)) is var gpus and > 0)
            {
                mig += request.Extended(i) * gpus * ResourceVector.MilliPerGpu;
            }
        }

        return mig;
    }

    [GeneratedRegex(@"^nvidia\.com/mig-(\d+)g\.\d+gb$", RegexOptions.CultureInvariant)]
    private static partial Regex MigResource();
}
