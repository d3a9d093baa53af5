using System.Globalization;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>Kubernetes-style quantities to engine units: "500m" / "2" CPU, "512Mi" / "4Gi" memory, GPUs.</summary>
internal static class Quantity
{
    public const long Mi = 1L << 20;
    public const long Gi = 1L << 30;

    public static long MilliCpu(string text) => text.EndsWith('m')
        ? long.Parse(text[..^1], CultureInfo.InvariantCulture)
        : (long)(decimal.Parse(text, CultureInfo.InvariantCulture) * 1000);

    public static long Bytes(string text)
    {
        if (text.EndsWith("Gi", StringComparison.Ordinal))
        {
            return (long)(decimal.Parse(text[..^2], CultureInfo.InvariantCulture) * Gi);
        }

        if (text.EndsWith("Mi", StringComparison.Ordinal))
        {
            return (long)(decimal.Parse(text[..^2], CultureInfo.InvariantCulture) * Mi);
        }

        return long.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Whole or fractional GPUs to milli-GPU; -1 (unlimited) stays -1.</summary>
    public static long MilliGpu(double gpus) => gpus < 0 ? -1 : (long)Math.Round(gpus * 1000);
}
