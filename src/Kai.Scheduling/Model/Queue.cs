namespace Kai.Scheduling.Model;

/// <summary>A scheduling queue (KAI <c>Queue</c> CR). Only leaf queues hold pod groups.</summary>
public sealed class Queue
{
    public const int DefaultPriority = 100;

    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    public string? ParentName { get; init; }

    /// <summary>Higher gets over-quota resources first and is reclaimed from last.</summary>
    public int Priority { get; init; } = DefaultPriority;

    public QueueResourceSettings Cpu { get; init; } = QueueResourceSettings.Blocked;

    public QueueResourceSettings Memory { get; init; } = QueueResourceSettings.Blocked;

    public QueueResourceSettings Gpu { get; init; } = QueueResourceSettings.Blocked;

    public DateTimeOffset CreationTimestamp { get; init; }

    public TimeSpan? PreemptMinRuntime { get; init; }

    public TimeSpan? ReclaimMinRuntime { get; init; }

    public QueueResourceSettings this[QueueResource resource] => resource switch
    {
        QueueResource.Cpu => Cpu,
        QueueResource.Memory => Memory,
        _ => Gpu,
    };

    public QueueKey Key => new(Name);

    public override string ToString() => Name;
}

/// <summary>The resources queues account for, in engine units (CPU millicores, memory bytes, milli-GPU).</summary>
public enum QueueResource
{
    Cpu,
    Memory,
    Gpu,
}

/// <summary>
/// Quota, over-quota weight and limit of one resource, in engine units. <see cref="Unlimited"/> (-1) means
/// no bound; a limit of 0 allows nothing (KAI treats an unset limit as 0).
/// </summary>
public readonly record struct QueueResourceSettings(long Quota, double OverQuotaWeight, long Limit)
{
    public const long Unlimited = -1;

    /// <summary>What a queue without <c>spec.resources</c> gets: nothing.</summary>
    public static QueueResourceSettings Blocked { get; } = new(0, 0, 0);

    public static QueueResourceSettings Open { get; } = new(Unlimited, 1, Unlimited);
}
