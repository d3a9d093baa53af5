namespace Kai.Cluster.Kubernetes;

/// <summary>How the Kubernetes backend watches and retries. Defaults suit a real API server.</summary>
public sealed record KubernetesClusterOptions
{
    /// <summary>Clock for back-off delays, the inactivity watchdog and event timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed of the jitter added to back-off delays and watch timeouts (replicas should differ).</summary>
    public int RandomSeed { get; init; } = 1;

    /// <summary>Objects per page when listing (<c>limit</c>/<c>continue</c>), so a large kind does not arrive in one body.</summary>
    public int ListPageSize { get; init; } = 500;

    /// <summary>
    /// The <c>timeoutSeconds</c> asked of each watch before jitter (up to as much again is added, so replicas do not
    /// rewatch in step); the server then ends the watch cleanly and the reflector continues from its last version.
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that delivers nothing — no event, no bookmark — for this long is treated as silently broken and
    /// opened again (KubernetesClient can hang on a dead connection).
    /// </summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long one request (not a watch) may take, answer included, before it fails as unreachable — KubernetesClient's
    /// default <c>HttpClientTimeout</c>, which its HTTP client leaves to each request.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>First delay after a failed list or watch; doubled after each further failure, with jitter.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Changes kept to let a feed resume from a resource version.</summary>
    public int HistoryCapacity { get; init; } = 100_000;

    /// <summary>
    /// How often one event series (same object, type, reason and component) is written at most: a repeat within this
    /// time of the series' last write is held and written with its next one (Kubernetes' events recorder writes a
    /// series no more often than every few minutes).
    /// </summary>
    public TimeSpan EventSeriesInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A write's answer and the watch event of the same version carry the same stored object: the one that arrives
    /// second is taken from the cache instead of being deserialised again (off: every answer and event is decoded, the
    /// reference path the tests compare with).
    /// </summary>
    internal bool ReuseDecodedVersions { get; init; } = true;

    /// <summary>Name written as the event source (<c>reportingComponent</c>) when a record names none.</summary>
    public string DefaultReportingComponent { get; init; } = "kai-scheduler";
}
