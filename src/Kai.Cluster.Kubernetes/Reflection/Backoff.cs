namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>
/// Exponential back-off with jitter: attempt n waits min(max, initial·2^(n−1)) plus up to as much again at random,
/// so replicas that lost the server together do not come back in step. The random source is seeded.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, Random random)
{
    private readonly Lock _gate = new();

    /// <summary>The delay before attempt <paramref name="failures"/> + 1 (failures ≥ 1).</summary>
    public TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(Math.Max(failures, 1) - 1, 30);
        var baseTicks = Math.Min(max.Ticks, initial.Ticks * (1L << exponent));
        double jitter;
        lock (_gate)
        {
            jitter = random.NextDouble();
        }

        return TimeSpan.FromTicks(Math.Min(max.Ticks, baseTicks + (long)(baseTicks * jitter)));
    }

    /// <summary>A value in [0, 1) from the same seeded source, for other jitter (watch timeouts).</summary>
    public double NextJitter()
    {
        lock (_gate)
        {
            return random.NextDouble();
        }
    }
}
