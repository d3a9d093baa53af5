namespace Kai.Scheduling.Model;

/// <summary>The kind of GPU a pod asks for (KAI's resource request type).</summary>
public enum GpuRequestKind
{
    /// <summary>No GPU at all (a CPU-only pod).</summary>
    None,

    /// <summary>Whole devices (<c>nvidia.com/gpu</c>), counted in <see cref="Pod.Request"/>.</summary>
    Whole,

    /// <summary>A share of one or more devices by fraction (annotation <c>gpu-fraction</c>).</summary>
    Fraction,

    /// <summary>A share of one or more devices by GPU memory (annotation <c>gpu-memory</c>, MiB).</summary>
    Memory,

    /// <summary>MIG instances (<c>nvidia.com/mig-&lt;g&gt;g.&lt;m&gt;gb</c> resources), counted in <see cref="Pod.Request"/> as extended resources.</summary>
    Mig,
}

/// <summary>
/// What a pod asks of GPU devices besides whole GPUs: the same share of <see cref="Devices"/> shared devices (by
/// fraction or by memory), or MIG instances. Integer units only: a fraction in milli-GPU at KAI's precision of
/// 0.01 (multiples of 10), memory in MiB, MIG instances as the GPUs they count in queues (3g.20gb counts 3).
/// </summary>
/// <remarks>
/// A shared pod's GPU is not in <see cref="Pod.Request"/> (whose GPU dimension is whole devices only): it is
/// accounted on the GPU group (device) it is placed on, and in queues as the share it receives there
/// (see <see cref="PortionMilliOn"/>).
/// </remarks>
public readonly record struct GpuRequest
{
    public static GpuRequest None => default;

    /// <summary><see cref="GpuRequestKind.Fraction"/>, <see cref="GpuRequestKind.Memory"/>, <see cref="GpuRequestKind.Mig"/> or <see cref="GpuRequestKind.None"/>.</summary>
    public GpuRequestKind Kind { get; init; }

    /// <summary>Devices that each receive the share (<c>gpu-fraction-num-devices</c>); 1 unless set; 0 when not shared.</summary>
    public int Devices { get; init; }

    /// <summary>Share of each device by fraction, in milli-GPU (a multiple of 10, at most 1000).</summary>
    public long PortionMilli { get; init; }

    /// <summary>GPU memory of each device, MiB.</summary>
    public long MemoryMiB { get; init; }

    /// <summary>MIG instances as GPUs in queues: the sum of g × count over the requested profiles, in milli-GPU.</summary>
    public long MigMilli { get; init; }

    /// <summary>Whether the pod shares devices (by fraction or by memory) and is placed on GPU groups.</summary>
    public bool IsShared => Kind is GpuRequestKind.Fraction or GpuRequestKind.Memory;

    public static GpuRequest Fraction(long portionMilli, int devices = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(portionMilli);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(portionMilli, 1000);
        return new() { Kind = GpuRequestKind.Fraction, PortionMilli = portionMilli, Devices = devices };
    }

    public static GpuRequest Memory(long memoryMiB, int devices = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryMiB);
        return new() { Kind = GpuRequestKind.Memory, MemoryMiB = memoryMiB, Devices = devices };
    }

    public static GpuRequest Mig(long migMilli)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(migMilli);
        return new() { Kind = GpuRequestKind.Mig, MigMilli = migMilli };
    }

    /// <summary>
    /// GPU memory the share takes on each device of a node whose GPUs have <paramref name="gpuMemoryMiB"/> each
    /// (KAI's GetResourceGpuMemory): the memory itself, or fraction × device memory. Exact: device memory is a
    /// multiple of 100 MiB and fractions are hundredths.
    /// </summary>
    public long MemoryOn(long gpuMemoryMiB) =>
        Kind == GpuRequestKind.Memory ? MemoryMiB : PortionMilli * gpuMemoryMiB / 1000;

    /// <summary>
    /// The share of one device the pod receives on such a node, in milli-GPU at 0.01 precision: the fraction, or
    /// memory ÷ device memory rounded up to a hundredth (KAI: <c>ceil(memory / gpuMemory × 100) / 100</c>).
    /// </summary>
    public long PortionMilliOn(long gpuMemoryMiB) =>
        Kind == GpuRequestKind.Memory ? CeilingDivide(MemoryMiB * 100, Math.Max(gpuMemoryMiB, 1)) * 10 : PortionMilli;

    public override string ToString() => Kind switch
    {
        GpuRequestKind.Fraction => $"{PortionMilli / 1000.0:0.##} of {Devices} GPU{(Devices == 1 ? string.Empty : "s")}",
        GpuRequestKind.Memory => $"{MemoryMiB}MiB of {Devices} GPU{(Devices == 1 ? string.Empty : "s")}",
        GpuRequestKind.Mig => $"MIG ({MigMilli / 1000.0:0.##} GPUs)",
        _ => "none",
    };

    internal static long CeilingDivide(long value, long divisor) => (value + divisor - 1) / divisor;
}
