using Kai.Cluster.Crds;

namespace Kai.Cluster.Quantities;

/// <summary>How a Queue's quota or limit was read (see <see cref="QueueAmount.Read"/>).</summary>
public enum QueueAmountReading
{
    /// <summary>Unset: 0, as in KAI (for a limit that means "nothing allowed").</summary>
    Unset,

    /// <summary>-1: unlimited.</summary>
    Unlimited,

    /// <summary>0 or more, read as written.</summary>
    AsWritten,

    /// <summary>Below zero and not -1. KAI accepts it with a warning; read as 0.</summary>
    NegativeReadAsZero,

    /// <summary>Above <see cref="AmountLimits.MaxUnits"/>; read as that maximum.</summary>
    AboveMaximum,

    /// <summary>NaN or infinite: no manifest can carry it (JSON has no such numbers); read as 0.</summary>
    NotFinite,
}

/// <summary>
/// Reads a Queue's quota and limit the way KAI's scheduler uses them, in the scheduler's integer units. KAI's CRD takes
/// any number and its webhook only warns about negative values, so no value drops a queue: -1 is unlimited, any other
/// negative value is read as 0 (KAI's own arithmetic would give the queue a negative deserved share that its
/// over-quota phase then refills; for a limit any negative value other than -1 allows nothing, as 0 does), and an
/// amount beyond <see cref="AmountLimits.MaxUnits"/> is read as that maximum, which no request reaches.
/// </summary>
public static class QueueAmount
{
    /// <summary>Scheduler units (millicores) per CPU unit of the Queue CR (millicores).</summary>
    public const long CpuScale = 1;

    /// <summary>Scheduler units (bytes) per memory unit of the Queue CR (megabytes, 10^6 bytes).</summary>
    public const long MemoryScale = 1_000_000;

    /// <summary>Scheduler units (milli-GPU) per GPU unit of the Queue CR (GPUs).</summary>
    public const long GpuScale = 1000;

    /// <summary>The scheduler's "unlimited" marker, as in KAI.</summary>
    public const long Unlimited = -1;

    /// <summary>The Queue CR's scale for resource <paramref name="name"/> (cpu, memory or gpu).</summary>
    public static long ScaleOf(string name) => name switch
    {
        "cpu" => CpuScale,
        "memory" => MemoryScale,
        _ => GpuScale,
    };

    /// <summary>Reads <paramref name="value"/> (in the CR's unit) into scheduler units and says how it was read.</summary>
    public static (long Units, QueueAmountReading Reading) Read(double? value, long scale)
    {
        if (value is not { } number)
        {
            return (0, QueueAmountReading.Unset);
        }

        if (!double.IsFinite(number))
        {
            return (0, QueueAmountReading.NotFinite);
        }

        if (number == KaiApi.Unlimited)
        {
            return (Unlimited, QueueAmountReading.Unlimited);
        }

        if (number < 0)
        {
            return (0, QueueAmountReading.NegativeReadAsZero);
        }

        var units = Math.Round(number * scale);
        return units > AmountLimits.MaxUnits ? (AmountLimits.MaxUnits, QueueAmountReading.AboveMaximum) : ((long)units, QueueAmountReading.AsWritten);
    }
}
