namespace Kai.Cluster.Embedded;

/// <summary>Tuning for <see cref="EmbeddedCluster"/>.</summary>
public sealed record EmbeddedClusterOptions
{
    /// <summary>
    /// How many recent changes are retained for feeds that resume from a resource version. 100,000 covers two
    /// scheduling cycles at 50,000 writes each; 0 keeps none (resuming is then possible only from the current
    /// version).
    /// </summary>
    public int HistoryCapacity { get; init; } = 100_000;

    /// <summary>
    /// How long an event is kept after its last occurrence (on the cluster's clock), as the API server's
    /// <c>--event-ttl</c> (one hour by default there and here); null keeps events for ever. Without it a long run
    /// keeps every event ever recorded — a scheduler records one per pending pod whose reason changes. It applies to
    /// events recorded through <c>RecordEventAsync</c> and to events created as plain objects (through <c>kai
    /// serve</c>'s API by an out-of-process recorder, or kubectl), checked whenever an event is recorded or created;
    /// events loaded from manifests are kept as given.
    /// </summary>
    public TimeSpan? EventTimeToLive { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether stored pods with equal specs share one stored spec instance (<see cref="SharedPodSpecs"/>). On by
    /// default; off stores each pod's spec as written, for tests that compare the two.
    /// </summary>
    internal bool SharePodSpecs { get; init; } = true;

    /// <summary>
    /// Whether recorded events are found for a repeat through the set of stored events (<see cref="RecordedEvents"/>,
    /// 16 bytes an event) rather than the reference dictionary from the correlator's key (88 bytes an event). On by
    /// default; off for tests that compare the two.
    /// </summary>
    internal bool CompactEventIndex { get; init; } = true;
}
