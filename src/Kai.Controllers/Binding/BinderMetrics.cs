using System.Diagnostics.Metrics;

namespace Kai.Controllers.Binding;

/// <summary>
/// The binder's instruments, on the meter <c>Kai.Binder</c>, named as they are exported to Prometheus (KAI's
/// <c>kai_</c> prefix): binds done, bind attempts that failed (by reason), and how long a bind took.
/// </summary>
public static class BinderMetrics
{
    public const string MeterName = "Kai.Binder";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>KAI's latency buckets: 5·2^0 … 5·2^9 ms.</summary>
    private static readonly IReadOnlyList<double> LatencyBuckets = [.. Enumerable.Range(0, 10).Select(i => 5.0 * (1 << i))];

    internal static readonly Counter<long> Binds = Meter.CreateCounter<long>("kai_binder_binds_total", description: "Pods bound to the node their bind request selected.");

    internal static readonly Counter<long> Failures = Meter.CreateCounter<long>("kai_binder_bind_failures_total", description: "Bind attempts that failed, by reason (each retry counts).");

    internal static readonly Histogram<double> Latency = Meter.CreateHistogram(
        "kai_binder_bind_latency_milliseconds",
        unit: null,
        description: "Time to bind one pod: the binding call and the bind request's status update, in milliseconds.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
}
