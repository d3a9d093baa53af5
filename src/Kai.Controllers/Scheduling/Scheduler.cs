using System.Diagnostics;
using Kai.Cluster.Port;
using Kai.Controllers.Cache;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// The scheduler component: each cycle brings the cache up to date, builds a snapshot, runs the engine and
/// writes the decisions back through the cluster port. It does not know which backend it runs on.
/// </summary>
public sealed class Scheduler : IDisposable
{
    private readonly SchedulerCache _cache;
    private readonly SchedulingEngine _engine;
    private readonly DecisionWriter _writer;
    private readonly TimeProvider _time;
    private int _cycle;

    private Scheduler(SchedulerCache cache, SchedulingEngine engine, DecisionWriter writer, TimeProvider time)
    {
        _cache = cache;
        _engine = engine;
        _writer = writer;
        _time = time;
    }

    public SchedulerCache Cache => _cache;

    public static async ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var cache = await SchedulerCache.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        return new Scheduler(cache, new SchedulingEngine(configuration), new DecisionWriter(cluster, time), time);
    }

    public async ValueTask<CycleOutcome> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        _cycle++;
        var start = Stopwatch.GetTimestamp();
        _cache.Sync();
        var synced = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        var snapshot = SnapshotBuilder.Build(_cache.BuildState(now));
        var built = Stopwatch.GetTimestamp();

        var observer = new ActionStopwatch();
        var result = _engine.RunCycle(snapshot, observer, cancellationToken);
        var decided = Stopwatch.GetTimestamp();

        await _writer.WriteAsync(snapshot, result, cancellationToken).ConfigureAwait(false);
        var written = Stopwatch.GetTimestamp();

        var timings = new CycleTimings(
            Stopwatch.GetElapsedTime(start, synced),
            Stopwatch.GetElapsedTime(synced, built),
            observer.Durations,
            Stopwatch.GetElapsedTime(decided, written));
        return new CycleOutcome(_cycle, now, snapshot, result, timings, [.. _cache.Issues]);
    }

    public void Dispose() => _cache.Dispose();

    private sealed class ActionStopwatch : ICycleObserver
    {
        private long _started;

        public List<(ActionKind Action, TimeSpan Duration)> Durations { get; } = [];

        public void ActionStarting(ActionKind action) => _started = Stopwatch.GetTimestamp();

        public void ActionFinished(ActionKind action) => Durations.Add((action, Stopwatch.GetElapsedTime(_started)));
    }
}
