using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>Reads one of the three queue resources out of a vector or a queue's settings.</summary>
internal static class QueueResourceValues
{
    public static readonly QueueResource[] All = [QueueResource.Cpu, QueueResource.Memory, QueueResource.Gpu];

    public static long Of(in ResourceVector vector, QueueResource resource) => resource switch
    {
        QueueResource.Cpu => vector.Cpu,
        QueueResource.Memory => vector.Memory,
        _ => vector.Gpu,
    };

    public static ResourceVector With(in ResourceVector vector, QueueResource resource, long value) => resource switch
    {
        QueueResource.Cpu => new ResourceVector(value, vector.Memory, vector.Gpu),
        QueueResource.Memory => new ResourceVector(vector.Cpu, value, vector.Gpu),
        _ => new ResourceVector(vector.Cpu, vector.Memory, value),
    };

    /// <summary>Engine units in one KAI fair-share step: one GPU, one millicore, one byte.</summary>
    public static long Unit(QueueResource resource) => resource == QueueResource.Gpu ? ResourceVector.MilliPerGpu : 1;

    public static string KubernetesName(QueueResource resource) => resource switch
    {
        QueueResource.Cpu => "cpu",
        QueueResource.Memory => "memory",
        _ => ResourceCatalog.GpuResourceName,
    };

    /// <summary>Human text of an amount: cores, GiB-ish bytes, GPUs.</summary>
    public static string Format(QueueResource resource, long value)
    {
        if (value == QueueResourceSettings.Unlimited)
        {
            return "unlimited";
        }

        return resource switch
        {
            QueueResource.Cpu => $"{value / 1000.0:0.###} cpu",
            QueueResource.Memory => FormatBytes(value),
            _ => $"{value / (double)ResourceVector.MilliPerGpu:0.###} GPUs",
        };
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##}Gi memory",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##}Mi memory",
        _ => $"{bytes} bytes memory",
    };
}
