namespace Kai.Cluster.Port;

/// <summary>What a change feed carries and where it starts.</summary>
public sealed record ChangeFeedOptions
{
    /// <summary>Kinds to receive; null means every kind, including kinds registered later.</summary>
    public IReadOnlyList<KindKey>? Kinds { get; init; }

    /// <summary>
    /// Null, empty or "0": the feed starts with a synthetic <see cref="ChangeType.Added"/> for every current
    /// object, then live changes (a watch without resource version). Otherwise: every change with a larger
    /// resource version is replayed, then live changes; a version older than the retained history fails with
    /// <see cref="ClusterErrorReason.Expired"/>.
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>
    /// Maximum queued changes before the feed fails with <see cref="ClusterErrorReason.Expired"/>; null means
    /// unbounded (the consumer promises to keep up).
    /// </summary>
    public int? Capacity { get; init; }

    /// <summary>A feed of the given kinds starting from the current state.</summary>
    public static ChangeFeedOptions For(params KindKey[] kinds) => new() { Kinds = kinds };
}
