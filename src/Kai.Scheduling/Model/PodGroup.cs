namespace Kai.Scheduling.Model;

/// <summary>
/// A gang (KAI <c>PodGroup</c>): its pods are placed together, at least <see cref="MinMember"/> of them, or
/// not at all. Priority and preemptibility arrive resolved.
/// </summary>
public sealed class PodGroup
{
    /// <summary>Priority when the group names no known PriorityClass and none is the global default.</summary>
    public const int DefaultPriority = 50;

    /// <summary>From this priority on a group is non-preemptible unless it says otherwise.</summary>
    public const int NonPreemptiblePriority = 100;

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Uid { get; init; } = string.Empty;

    public required string QueueName { get; init; }

    public int Priority { get; init; } = DefaultPriority;

    public string? PriorityClassName { get; init; }

    public bool Preemptible { get; init; } = true;

    /// <summary>
    /// Minimum pods of the default pod set (ignored when the group has sub-groups); 0 means no gang: each pod is
    /// placed, and may be evicted, on its own, and the group is never stale.
    /// </summary>
    public int MinMember { get; init; } = 1;

    public IReadOnlyList<SubGroup> SubGroups { get; init; } = [];

    /// <summary>Where all the group's pods go in a topology (spec.topologyConstraint), or null.</summary>
    public TopologyConstraint? Topology { get; init; }

    /// <summary>The topology constraints of the group and its sub-groups as one text (for scheduling signatures); empty without any.</summary>
    public string TopologySignature =>
        Topology is null && SubGroups.All(s => s.Topology is null)
            ? string.Empty
            : string.Join(';', SubGroups.Where(s => s.Topology is not null).Select(s => $"{s.Name}={s.Topology!.Signature}").Prepend(Topology?.Signature ?? string.Empty));

    public DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>Whether pending pods are marked <c>PodScheduled=False</c> (spec.markUnschedulable, default true).</summary>
    public bool MarkUnschedulable { get; init; } = true;

    /// <summary>When the group was first seen with fewer than its minimum running (annotation), if at all.</summary>
    public DateTimeOffset? StaleSince { get; init; }

    /// <summary>When the group last started running (annotation), if ever.</summary>
    public DateTimeOffset? LastStartTimestamp { get; init; }

    /// <summary>
    /// How long the group may stay stale before stale-gang eviction evicts it (spec.stalenessGracePeriod); null: the
    /// scheduler's default; negative: never.
    /// </summary>
    public TimeSpan? StalenessGracePeriod { get; init; }

    /// <summary>
    /// How long the group must wait, from its creation or its last eviction, before it may have other groups evicted
    /// for it (spec.preemptionDelay); null or zero: no wait. It may still take free room at once.
    /// </summary>
    public TimeSpan? PreemptionDelay { get; init; }

    /// <summary>When pods of the group were last evicted (annotation), if ever; restarts the preemption delay.</summary>
    public DateTimeOffset? LastEvictionTimestamp { get; init; }

    /// <summary>When the preemption delay ends, or null when the group has none.</summary>
    public DateTimeOffset? PreemptionDelayEnd =>
        PreemptionDelay is { } delay && delay > TimeSpan.Zero
            ? (LastEvictionTimestamp is { } evicted && evicted > CreationTimestamp ? evicted : CreationTimestamp) + delay
            : null;

    public PodGroupKey Key => new(Namespace, Name);

    public override string ToString() => Key.ToString();
}

/// <summary>
/// A sub-group of a pod group, with its own minimum (0: its pods are optional), its parent sub-group (null: the pod
/// group) and its own topology constraint.
/// </summary>
public sealed record SubGroup(string Name, int MinMember, string? Parent = null, TopologyConstraint? Topology = null);
