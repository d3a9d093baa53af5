using System.Diagnostics;
using Kai.Controllers.Scheduling;
using Kai.Simulation.Benchmarks;

namespace Kai.Cli.Benchmarks;

/// <summary>What a <see cref="ThroughApiBenchmark"/> run measured.</summary>
internal sealed record ThroughApiResult(
    ThroughApiSettings Settings,
    TimeSpan Setup,
    TimeSpan Creation,
    int PodsCreated,
    int PodsBound,
    TimeSpan FirstCreatedToLastBound,
    TimeSpan LatencyMedian,
    TimeSpan LatencyP99,
    IReadOnlyList<(CycleTimings Timings, int Binds)> Cycles,
    TimeSpan ProcessorTime,
    IReadOnlyDictionary<string, long> Requests)
{
    /// <summary>The API requests per bound pod, by verb and resource, most frequent first.</summary>
    public IEnumerable<(string Request, double PerPod)> RequestsPerPod =>
        Requests.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value / (double)Math.Max(PodsBound, 1)));

    /// <summary>CPU time the whole process (API server, components, creating clients) spent per bound pod: a figure that does not depend on how busy the machine is.</summary>
    public TimeSpan ProcessorTimePerPod => PodsBound == 0 ? TimeSpan.Zero : ProcessorTime / PodsBound;

    /// <summary>Pods bound per second, from the first pod's creation to the last pod's binding.</summary>
    public double PodsBoundPerSecond => PodsBound / Math.Max(FirstCreatedToLastBound.TotalSeconds, 1e-9);

    /// <summary>The events stored at the end, by involved kind and reason (the warm-up runs' are in other stores).</summary>
    public IReadOnlyList<EventFigure> Events { get; init; } = [];

    /// <summary>What the process allocated and collected over the same window as <see cref="ProcessorTime"/>.</summary>
    public ProcessCounters Counters { get; init; } = new(TimeSpan.Zero, 0, TimeSpan.Zero, 0, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The API requests the server answered in the window (every verb and resource).</summary>
    public long RequestCount => Requests.Values.Sum();

    public double PodsCreatedPerSecond => PodsCreated / Math.Max(Creation.TotalSeconds, 1e-9);

    public static ThroughApiResult From(
        ThroughApiSettings settings,
        TimeSpan setup,
        TimeSpan creation,
        IReadOnlyDictionary<string, long> created,
        IReadOnlyDictionary<string, long> bound,
        IReadOnlyList<(CycleTimings Timings, int Binds)> cycles,
        TimeSpan processorTime,
        IReadOnlyDictionary<string, long> requests)
    {
        var latencies = bound.Where(b => created.ContainsKey(b.Key)).Select(b => Stopwatch.GetElapsedTime(created[b.Key], b.Value)).Order().ToList();
        var first = created.Count == 0 ? 0 : created.Values.Min();
        var last = bound.Count == 0 ? first : bound.Values.Max();
        return new ThroughApiResult(
            settings,
            setup,
            creation,
            created.Count,
            bound.Count,
            Stopwatch.GetElapsedTime(first, last),
            Percentile(latencies, 0.5),
            Percentile(latencies, 0.99),
            cycles,
            processorTime,
            requests);
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

/// <summary>Events about one kind with one reason: how many event objects, and how many occurrences their counts add up to.</summary>
internal sealed record EventFigure(string Kind, string Reason, int Objects, int Occurrences);
