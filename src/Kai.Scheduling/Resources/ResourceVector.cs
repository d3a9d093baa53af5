using System.Runtime.CompilerServices;

namespace Kai.Scheduling.Resources;

/// <summary>
/// An integer amount of every resource the scheduler accounts for: CPU millicores, memory bytes, GPUs in
/// milli-GPU (0.5 GPU = 500), pod slots, and extended resources by <see cref="ResourceCatalog"/> index.
/// Immutable; arithmetic never uses floating point.
/// </summary>
/// <remarks>
/// The three built-in resources and pod slots are fields so the common case allocates nothing; extended
/// resources (hugepages, ephemeral storage, MIG profiles, vendor devices) live in a lazily created array
/// that is shared between vectors and never mutated.
/// </remarks>
public readonly struct ResourceVector : IEquatable<ResourceVector>
{
    public const long MilliPerGpu = 1000;

    private readonly long[]? _extended;

    public ResourceVector(long cpuMilli, long memoryBytes, long gpuMilli, long pods = 0, long[]? extended = null)
    {
        Cpu = cpuMilli;
        Memory = memoryBytes;
        Gpu = gpuMilli;
        Pods = pods;
        // Copied so that the caller cannot change this vector afterwards; trailing zeros are dropped.
        _extended = extended is { Length: > 0 } && Array.Exists(extended, v => v != 0) ? (long[])extended.Clone() : null;
    }

    // Arithmetic results own their fresh arrays (or share an operand's immutable one): no defensive copy.
    private ResourceVector(long cpuMilli, long memoryBytes, long gpuMilli, long pods, long[]? extended, bool owned)
    {
        Cpu = cpuMilli;
        Memory = memoryBytes;
        Gpu = gpuMilli;
        Pods = pods;
        _extended = owned && extended is { Length: > 0 } && Array.Exists(extended, v => v != 0) ? extended : null;
    }

    public static ResourceVector Zero => default;

    /// <summary>CPU in millicores.</summary>
    public long Cpu { get; }

    /// <summary>Memory in bytes.</summary>
    public long Memory { get; }

    /// <summary>GPUs in milli-GPU.</summary>
    public long Gpu { get; }

    /// <summary>Pod slots (each pod takes one).</summary>
    public long Pods { get; }

    public bool HasExtended => _extended is not null;

    public bool IsZero => Cpu == 0 && Memory == 0 && Gpu == 0 && Pods == 0 && _extended is null;

    /// <summary>Number of extended-resource slots this vector carries (indices beyond are zero).</summary>
    public int ExtendedCount => _extended?.Length ?? 0;

    public long Extended(int index) => _extended is { } e && index < e.Length ? e[index] : 0;

    public static ResourceVector Gpus(double gpus) => new(0, 0, (long)Math.Round(gpus * MilliPerGpu));

    public ResourceVector WithPods(long pods) => new(Cpu, Memory, Gpu, pods, _extended, owned: true);

    public ResourceVector WithGpu(long gpuMilli) => new(Cpu, Memory, gpuMilli, Pods, _extended, owned: true);

    /// <summary>Only CPU, memory and GPU: what queues and fair share account for.</summary>
    public ResourceVector QueueResources => new(Cpu, Memory, Gpu);

    public static ResourceVector operator +(ResourceVector a, ResourceVector b) =>
        new(a.Cpu + b.Cpu, a.Memory + b.Memory, a.Gpu + b.Gpu, a.Pods + b.Pods, Combine(a._extended, b._extended, 1), owned: true);

    public static ResourceVector operator -(ResourceVector a, ResourceVector b) =>
        new(a.Cpu - b.Cpu, a.Memory - b.Memory, a.Gpu - b.Gpu, a.Pods - b.Pods, Combine(a._extended, b._extended, -1), owned: true);

    public static bool operator ==(ResourceVector a, ResourceVector b) => a.Equals(b);

    public static bool operator !=(ResourceVector a, ResourceVector b) => !a.Equals(b);

    /// <summary>Whether every resource of this vector is at most the one of <paramref name="capacity"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FitsIn(in ResourceVector capacity)
    {
        if (Cpu > capacity.Cpu || Memory > capacity.Memory || Gpu > capacity.Gpu || Pods > capacity.Pods)
        {
            return false;
        }

        return _extended is null || ExtendedFitsIn(capacity);
    }

    /// <summary>
    /// Whether every resource but GPUs fits <paramref name="capacity"/> (a pod that shares GPUs is checked against
    /// devices, not the node's whole GPUs, which may even be negative while pipelined pods wait).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FitsInExceptGpu(in ResourceVector capacity)
    {
        if (Cpu > capacity.Cpu || Memory > capacity.Memory || Pods > capacity.Pods)
        {
            return false;
        }

        return _extended is null || ExtendedFitsIn(capacity);
    }

    /// <summary>The first resource in which this vector exceeds <paramref name="capacity"/>, or null.</summary>
    public ResourceName? FirstShortage(in ResourceVector capacity)
    {
        if (Gpu > capacity.Gpu)
        {
            return ResourceName.Gpu;
        }

        if (Cpu > capacity.Cpu)
        {
            return ResourceName.Cpu;
        }

        if (Memory > capacity.Memory)
        {
            return ResourceName.Memory;
        }

        if (Pods > capacity.Pods)
        {
            return ResourceName.Pods;
        }

        if (_extended is { } e)
        {
            for (var i = 0; i < e.Length; i++)
            {
                if (e[i] > capacity.Extended(i))
                {
                    return ResourceName.ExtendedAt(i);
                }
            }
        }

        return null;
    }

    public ResourceVector Max(in ResourceVector other)
    {
        long[]? extended = null;
        var count = Math.Max(ExtendedCount, other.ExtendedCount);
        if (count > 0)
        {
            extended = new long[count];
            for (var i = 0; i < count; i++)
            {
                extended[i] = Math.Max(Extended(i), other.Extended(i));
            }
        }

        return new(Math.Max(Cpu, other.Cpu), Math.Max(Memory, other.Memory), Math.Max(Gpu, other.Gpu), Math.Max(Pods, other.Pods), extended, owned: true);
    }

    public bool Equals(ResourceVector other)
    {
        if (Cpu != other.Cpu || Memory != other.Memory || Gpu != other.Gpu || Pods != other.Pods)
        {
            return false;
        }

        var count = Math.Max(ExtendedCount, other.ExtendedCount);
        for (var i = 0; i < count; i++)
        {
            if (Extended(i) != other.Extended(i))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is ResourceVector other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Cpu, Memory, Gpu, Pods);

    public override string ToString() =>
        $"cpu={Cpu}m memory={Memory} gpu={Gpu / (double)MilliPerGpu:0.###} pods={Pods}" + (_extended is null ? string.Empty : $" extended=[{string.Join(',', _extended)}]");

    private bool ExtendedFitsIn(in ResourceVector capacity)
    {
        var e = _extended!;
        for (var i = 0; i < e.Length; i++)
        {
            if (e[i] > capacity.Extended(i))
            {
                return false;
            }
        }

        return true;
    }

    private static long[]? Combine(long[]? a, long[]? b, int sign)
    {
        if (b is null)
        {
            return a;
        }

        var result = new long[Math.Max(a?.Length ?? 0, b.Length)];
        a?.CopyTo(result, 0);
        for (var i = 0; i < b.Length; i++)
        {
            result[i] += sign * b[i];
        }

        return result;
    }
}
