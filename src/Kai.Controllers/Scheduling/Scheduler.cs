using System.Diagnostics;
using Kai.Cluster.Port;
using Kai.Controllers.Cache;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
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
    private Task _statusWrite = Task.CompletedTask;
    private CycleOutcome? _previous;

    private Scheduler(SchedulerCache cache, SchedulingEngine engine, DecisionWriter writer, TimeProvider time)
    {
        _cache = cache;
        _engine = engine;
        _writer = writer;
        _time = time;
    }

    /// <summary>A scheduler with KAI's plugins.</summary>
    public static ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, TimeProvider time, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, configuration, KaiPlugins.Registry, time, cancellationToken);

    /// <summary>A scheduler with the plugins of <paramref name="registry"/> (a host's own, for example).</summary>
    public static ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, PluginRegistry registry, TimeProvider time, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, configuration, registry, time, EvictionMode.Delete, cancellationToken);

    /// <param name="eviction">How evicted pods are removed (deleted, or through the Eviction API that honours disruption budgets).</param>
    public static async ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, PluginRegistry registry, TimeProvider time, EvictionMode eviction, CancellationToken cancellationToken = default)
    {
        var engine = new SchedulingEngine(configuration, registry);
        var cache = await SchedulerCache.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        return new Scheduler(cache, engine, new DecisionWriter(cluster, time, eviction), time);
    }

    /// <summary>How long the last cycle's status updates took (they run after the cycle; see <see cref="FlushStatusAsync"/>).</summary>
    public TimeSpan LastStatusWriteBack { get; private set; }

    /// <summary>Waits for the previous cycle's status updates (events, conditions, queue status) to be written.</summary>
    public Task FlushStatusAsync() => _statusWrite;

    public async ValueTask<CycleOutcome> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        await FlushStatusAsync().ConfigureAwait(false);
        _cycle++;
        var start = Stopwatch.GetTimestamp();
        var changes = _cache.Sync();
        var synced = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        if (changes == 0 && _previous is { } previous && previous.Result.ChangesNothing && previous.Result.SameUntil is { } until && now < until)
        {
            // Nothing changed since a cycle that asked nothing of the cluster, and no time-based rule it applied has
            // reached its deadline: the engine would decide the same again, and its status is written already.
            var skipped = new CycleTimings(Stopwatch.GetElapsedTime(start, synced), TimeSpan.Zero, [], TimeSpan.Zero);
            _previous = previous with { Cycle = _cycle, Time = now, Timings = skipped, Repeated = true };
            return _previous;
        }

        var snapshot = SnapshotBuilder.Build(_cache.BuildState(now));
        var built = Stopwatch.GetTimestamp();

        var (result, actions) = Decide(snapshot, cancellationToken);
        var decided = Stopwatch.GetTimestamp();

        await _writer.WriteDecisionsAsync(result, cancellationToken).ConfigureAwait(false);
        var written = Stopwatch.GetTimestamp();

        // Status is for people and comes after the decisions, as KAI's asynchronous status updater writes it; the
        // next cycle (or FlushStatusAsync) waits for it, so the cluster never sees two cycles interleaved.
        _statusWrite = WriteStatusAsync(snapshot, result, cancellationToken);

        var timings = new CycleTimings(
            Stopwatch.GetElapsedTime(start, synced),
            Stopwatch.GetElapsedTime(synced, built),
            actions,
            Stopwatch.GetElapsedTime(decided, written));
        _previous = new CycleOutcome(_cycle, now, snapshot, result, timings, [.. _cache.Issues]);
        return _previous;
    }

    public void Dispose() => _cache.Dispose();

    private async Task WriteStatusAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var start = Stopwatch.GetTimestamp();
        await _writer.WriteStatusAsync(snapshot, result, cancellationToken).ConfigureAwait(false);
        LastStatusWriteBack = Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Runs the engine's cycle action by action, timing each one.</summary>
    private (CycleResult Result, List<(ActionKind Action, TimeSpan Duration)> Durations) Decide(ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        using var cycle = _engine.StartCycle(snapshot);
        var durations = new List<(ActionKind Action, TimeSpan Duration)>(_engine.Configuration.Actions.Count);
        foreach (var action in _engine.Configuration.Actions)
        {
            var started = Stopwatch.GetTimestamp();
            cycle.Run(action, cancellationToken);
            durations.Add((action, Stopwatch.GetElapsedTime(started)));
        }

        return (cycle.Finish(), durations);
    }
}
