using System.Diagnostics;
using Kai.Cluster.Port;
using Kai.Controllers.Cache;
using Kai.Controllers.Observability;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// The scheduler component: each cycle brings the cache up to date, builds a snapshot, runs the engine and
/// writes the decisions back through the cluster port. It does not know which backend it runs on. It times
/// every phase once (<see cref="CycleTimings"/>), and its log, its metrics and <c>kai bench</c> report those
/// figures.
/// </summary>
public sealed class Scheduler : IDisposable
{
    private readonly SchedulerCache _cache;
    private readonly SchedulingEngine _engine;
    private readonly DecisionWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SchedulerMetrics _metrics;
    private readonly CycleLog _cycleLog;
    private int _cycle;
    private Task _statusWrite = Task.CompletedTask;
    private CycleOutcome? _previous;

    private Scheduler(SchedulerCache cache, SchedulingEngine engine, DecisionWriter writer, TimeProvider time, SchedulerTelemetry telemetry)
    {
        _cache = cache;
        _engine = engine;
        _writer = writer;
        _time = time;
        _logger = telemetry.LoggerFactory.CreateLogger<Scheduler>();
        _metrics = new SchedulerMetrics(telemetry.MeterFactory);
        _cycleLog = new CycleLog(_logger);
    }

    /// <summary>A scheduler with KAI's plugins.</summary>
    public static ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, TimeProvider time, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, configuration, KaiPlugins.Registry, time, EvictionMode.Delete, SchedulerTelemetry.None, cancellationToken);

    /// <summary>A scheduler with the plugins of <paramref name="registry"/> (a host's own, for example).</summary>
    public static ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, PluginRegistry registry, TimeProvider time, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, configuration, registry, time, EvictionMode.Delete, SchedulerTelemetry.None, cancellationToken);

    /// <param name="eviction">How evicted pods are removed (deleted, or through the Eviction API that honours disruption budgets).</param>
    public static ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, PluginRegistry registry, TimeProvider time, EvictionMode eviction, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, configuration, registry, time, eviction, SchedulerTelemetry.None, cancellationToken);

    /// <summary>A scheduler with the plugins of <paramref name="registry"/> that logs and measures through <paramref name="telemetry"/>.</summary>
    /// <param name="eviction">How evicted pods are removed (deleted, or through the Eviction API that honours disruption budgets).</param>
    public static async ValueTask<Scheduler> CreateAsync(ICluster cluster, SchedulerConfiguration configuration, PluginRegistry registry, TimeProvider time, EvictionMode eviction, SchedulerTelemetry telemetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        var engine = new SchedulingEngine(configuration, registry);
        var cache = await SchedulerCache.CreateAsync(cluster, telemetry.LoggerFactory.CreateLogger<SchedulerCache>(), cancellationToken).ConfigureAwait(false);
        var writer = new DecisionWriter(cluster, time, eviction, telemetry.LoggerFactory.CreateLogger<DecisionWriter>());
        var scheduler = new Scheduler(cache, engine, writer, time, telemetry);
        foreach (var warning in engine.Plugins.Warnings)
        {
            SchedulerLog.ConfigurationWarning(scheduler._logger, warning.ToString());
        }

        return scheduler;
    }

    /// <summary>
    /// Whether the decisions each action commits are written on another thread while the later actions run
    /// (<see cref="OverlappedWriteBack"/>); false writes them all after the last action. The cluster ends the same
    /// either way; kept switchable for the property test that compares the two.
    /// </summary>
    internal bool OverlapsWriteBack { get; set; } = true;

    /// <summary>
    /// How many decisions an action commits, since the last hand-over, before the overlapped write-back takes them while
    /// the action still runs (<see cref="OverlappedWriteBack.CommitChunk"/>). 0, the default: only between actions —
    /// writing reclaim's evictions while it ran, in chunks of 256–4,096, made the 4,000-node full cycle slower, not faster
    /// (docs/performance.md, "Nineteenth pass, 2026-12-07: the write-back while reclaim runs").
    /// </summary>
    internal int OverlapCommitChunk { get; set; }

    /// <summary>How many chunks of decisions the last cycle's overlapped write-back took before its last action ended (for tests).</summary>
    internal int LastOverlappedChunks { get; private set; }

    /// <summary>How many of <see cref="LastOverlappedChunks"/> were taken from a commit while an action ran (for tests).</summary>
    internal int LastChunksWithinActions { get; private set; }

    /// <summary>How long the last cycle's status updates took (they run after the cycle; see <see cref="FlushStatusAsync"/>).</summary>
    public TimeSpan LastStatusWriteBack { get; private set; }

    /// <summary>The meter this scheduler's instruments belong to (named <see cref="KaiMetrics.MeterName"/>).</summary>
    internal System.Diagnostics.Metrics.Meter Meter => _metrics.Meter;

    /// <summary>Waits for the previous cycle's status updates (events, conditions) to be written.</summary>
    public Task FlushStatusAsync() => _statusWrite;

    public async ValueTask<CycleOutcome> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        await FlushStatusAsync().ConfigureAwait(false);
        _cycle++;
        using var scope = SchedulerLog.CycleScope(_logger, _cycle);
        var start = Stopwatch.GetTimestamp();
        var changes = _cache.Sync();
        var synced = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        if (changes == 0 && _previous is { } previous && previous.Result.ChangesNothing && previous.Result.SameUntil is { } until && now < until)
        {
            // Nothing changed since a cycle that asked nothing of the cluster, and no time-based rule it applied has
            // reached its deadline: the engine would decide the same again, and its status is written already.
            var skipped = new CycleTimings(Stopwatch.GetElapsedTime(start, synced), TimeSpan.Zero, TimeSpan.Zero, [], [], TimeSpan.Zero, TimeSpan.Zero);
            _previous = previous with { Cycle = _cycle, Time = now, Timings = skipped, Repeated = true };
            SchedulerLog.CycleRepeated(_logger, _cycle, until);
            return _previous;
        }

        var (snapshot, decided, built, writeStart, written) = await DecideAndWriteAsync(now, start, synced, cancellationToken).ConfigureAwait(false);

        // Status is for people and comes after the decisions, as KAI's asynchronous status updater writes it; the
        // next cycle (or FlushStatusAsync) waits for it, so the cluster never sees two cycles interleaved.
        _statusWrite = WriteStatusAsync(snapshot, decided.Result, cancellationToken);

        var timings = new CycleTimings(
            Stopwatch.GetElapsedTime(start, synced),
            Stopwatch.GetElapsedTime(synced, built),
            decided.Session,
            decided.Plugins,
            decided.Actions,
            decided.Close,
            Stopwatch.GetElapsedTime(writeStart, written));
        _previous = new CycleOutcome(_cycle, now, snapshot, decided.Result, timings, [.. _cache.Issues]);
        _metrics.Record(_previous);
        _cycleLog.Completed(_previous);
        return _previous;
    }

    /// <summary>
    /// The snapshot, the engine's decisions and their write-back, inside the cycle's no-GC region (see
    /// <see cref="CycleGcRegion"/>); returns when the snapshot was built and when the write-back started and ended.
    /// </summary>
    private async ValueTask<(ClusterSnapshot Snapshot, Decided Decided, long Built, long WriteStart, long Written)> DecideAndWriteAsync(DateTimeOffset now, long start, long synced, CancellationToken cancellationToken)
    {
        var region = CycleGcRegion.Enter(_engine.Configuration.CycleGcBudgetMiB);
        try
        {
            // The previous snapshot lends the links of everything that did not change since (it is immutable: sharing is safe).
            var snapshot = SnapshotBuilder.Build(_cache.BuildState(now), _previous?.Snapshot);
            var built = Stopwatch.GetTimestamp();
            _cycleLog.Started(_cycle, now, snapshot, Stopwatch.GetElapsedTime(start, synced), Stopwatch.GetElapsedTime(synced, built));
            var overlapped = OverlapsWriteBack ? OverlappedWriteBack.Start(_writer, snapshot, cancellationToken, OverlapCommitChunk) : null;
            var decided = await DecideOverlappedAsync(snapshot, overlapped, cancellationToken).ConfigureAwait(false);
            var writeStart = Stopwatch.GetTimestamp();
            if (overlapped is null)
            {
                await _writer.WriteDecisionsAsync(snapshot, decided.Result, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // What the writer has left of the earlier actions' decisions, then the last action's and the annotations.
                await overlapped.FinishAsync(decided.Result).ConfigureAwait(false);
            }

            // Ending the region (and its collection) is part of the cycle's time: the write-back's figure includes it.
            region.Dispose();
            return (snapshot, decided, built, writeStart, Stopwatch.GetTimestamp());
        }
        finally
        {
            region.Dispose();
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _metrics.Dispose();
    }

    private async Task WriteStatusAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var start = Stopwatch.GetTimestamp();
        await _writer.WriteStatusAsync(snapshot, result, cancellationToken).ConfigureAwait(false);
        LastStatusWriteBack = Stopwatch.GetElapsedTime(start);
    }

    /// <summary><see cref="Decide"/>; when it fails, waits for the decisions already handed to the overlapped writer.</summary>
    private async ValueTask<Decided> DecideOverlappedAsync(ClusterSnapshot snapshot, OverlappedWriteBack? overlapped, CancellationToken cancellationToken)
    {
        try
        {
            var decided = Decide(snapshot, overlapped, cancellationToken);
            LastOverlappedChunks = overlapped?.Chunks ?? 0;
            LastChunksWithinActions = overlapped?.ChunksWithinActions ?? 0;
            return decided;
        }
        catch when (overlapped is not null)
        {
            await overlapped.AbandonAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the engine's cycle step by step — session, each plugin's session-open step, each action, the result — timing each.</summary>
    /// <param name="snapshot">The cycle's snapshot.</param>
    /// <param name="overlapped">Where each action's committed decisions go while the next actions run (null: nowhere, written after the cycle).</param>
    /// <param name="cancellationToken">Stops the actions.</param>
    private Decided Decide(ClusterSnapshot snapshot, OverlappedWriteBack? overlapped, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var cycle = _engine.StartCycle(snapshot, _cycle);
        var session = Stopwatch.GetElapsedTime(started);
        if (overlapped is not null && OverlapCommitChunk > 0)
        {
            // The writer starts on an action's decisions while it still runs, a chunk at a time.
            cycle.Session.Committed = overlapped.OnCommitted;
        }

        var plugins = new List<(string Plugin, TimeSpan Duration)>();
        while (cycle.NextPluginToOpen is { } plugin)
        {
            var opening = Stopwatch.GetTimestamp();
            cycle.OpenNextPlugin();
            plugins.Add((plugin, Stopwatch.GetElapsedTime(opening)));
        }

        var actions = new List<(ActionKind Action, TimeSpan Duration)>(_engine.Configuration.Actions.Count);
        var configured = _engine.Configuration.Actions;
        for (var i = 0; i < configured.Count; i++)
        {
            var running = Stopwatch.GetTimestamp();
            cycle.Run(configured[i], cancellationToken);
            actions.Add((configured[i], Stopwatch.GetElapsedTime(running)));

            // After the last action the rest is written at once: nothing runs beside it.
            if (i < configured.Count - 1)
            {
                overlapped?.Offer(cycle.Session.Decisions);
            }
        }

        var closing = Stopwatch.GetTimestamp();
        var result = cycle.Finish();
        return new Decided(result, session, plugins, actions, Stopwatch.GetElapsedTime(closing));
    }

    private sealed record Decided(
        CycleResult Result,
        TimeSpan Session,
        IReadOnlyList<(string Plugin, TimeSpan Duration)> Plugins,
        IReadOnlyList<(ActionKind Action, TimeSpan Duration)> Actions,
        TimeSpan Close);
}
