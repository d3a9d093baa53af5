using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace Kai.Benchmarks;

/// <summary>
/// The default configuration, sized for a small shared machine (2 cores): the benchmarks are macro-benchmarks
/// (tens of milliseconds to seconds per operation), so BenchmarkDotNet's own default of up to 100 iterations
/// over several launches would take hours and buy little.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Standard</b> (default): 1 launch, 3 warm-up and 10 measured iterations. Each iteration of a
/// cycle benchmark is a single cycle (it takes longer than BenchmarkDotNet's 500 ms iteration target); the
/// snapshot benchmarks run as many operations as fit in 500 ms.</item>
/// <item><b>Quick</b> (<c>--quick</c>): 1 launch, 1 warm-up and 3 measured iterations — enough to see a
/// regression of tens of per cent and to measure allocation (which, unlike time, does not need many
/// iterations), in roughly a third of the time.</item>
/// </list>
/// A job given on the command line (<c>--job short</c>, <c>--job dry</c>, ...) replaces these. Both keep the
/// default out-of-process toolchain (a fresh process per benchmark, so one benchmark's heap does not weigh on the
/// next; the generated project is built once per run, which takes a minute or two here, hence the longer build
/// timeout) and the runtime's default GC settings, which are what <c>kai</c> itself runs with. A JSON report is
/// exported next to the usual ones for <c>check-budgets</c>.
/// </remarks>
public static class BenchConfig
{
    /// <summary>
    /// The generated benchmark project rebuilds the engine's projects; on a loaded 2-core machine that takes
    /// longer than BenchmarkDotNet's default two minutes.
    /// </summary>
    public static TimeSpan BuildTimeout { get; } = TimeSpan.FromMinutes(10);

    public static Job Standard { get; } = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Standard");

    public static Job Quick { get; } = Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithId("Quick");

    /// <param name="job">The job to add; null when the command line names its own.</param>
    public static IConfig Create(Job? job)
    {
        var config = DefaultConfig.Instance
            .AddExporter(JsonExporter.Brief)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond).WithSizeUnit(SizeUnit.KB))
            .AddColumn(StatisticColumn.Min, StatisticColumn.Max)
            .WithBuildTimeout(BuildTimeout);
        return job is null ? config : config.AddJob(job);
    }
}
