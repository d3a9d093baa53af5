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
}
