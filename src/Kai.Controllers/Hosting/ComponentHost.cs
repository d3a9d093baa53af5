using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Grouping;
using Kai.Controllers.ScaleAdjust;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Controllers.Hosting;

/// <summary>
/// Runs components against a cluster until stopped: the scheduler every schedule period, the binder as bind requests
/// arrive (and as retries fall due), the pod-grouper as pods arrive. With leader election each component runs only
/// while its replica holds the component's Lease; a standby subscribes afresh when it takes over, so it starts from
/// the cluster as it is then.
/// </summary>
/// <remarks>
/// <para><b>Stopping</b> (<see cref="StopAsync"/>, on SIGTERM): no new cycle or bind starts; the cycle in flight
/// finishes writing its decisions and status, binds in flight finish (both bounded by
/// <see cref="ComponentHostOptions.ShutdownGracePeriod"/>), then the leases are released so a standby takes over at
/// its next try instead of waiting for them to expire.</para>
/// <para><b>Failures</b> of a component (an exception from a cycle, the cluster unreachable) are logged; the component
/// starts again after <see cref="ComponentHostOptions.RestartDelay"/>.</para>
/// </remarks>
public sealed partial class ComponentHost : IAsyncDisposable
{
    private readonly ICluster _cluster;
    private readonly ComponentHostOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly Dictionary<Component, Runner> _runners = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource<CycleOutcome> _nextCycle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;
    private volatile Binder? _binder;

    private ComponentHost(ICluster cluster, ComponentHostOptions options, ILogger logger)
    {
        _cluster = cluster;
        _options = options;
        _logger = logger;
    }

    /// <summary>Starts every component of <paramref name="options"/> on <paramref name="cluster"/>.</summary>
    public static ComponentHost Start(ICluster cluster, ComponentHostOptions options, ILogger? logger = null)
    {
        var host = new ComponentHost(cluster, options, logger ?? NullLogger.Instance);
        foreach (var component in options.Components.Distinct())
        {
            var runner = new Runner(component);
            host._runners[component] = runner;
            runner.Run = Task.Run(() => host.RunAsync(runner), CancellationToken.None);
        }

        return host;
    }

    /// <summary>Each component's state.</summary>
    public IReadOnlyDictionary<Component, ComponentState> States
    {
        get
        {
            lock (_gate)
            {
                return _runners.ToDictionary(r => r.Key, r => r.Value.State);
            }
        }
    }

    /// <summary>Every component has started: active, or a standby ready to take over.</summary>
    public bool IsReady => States.Values.All(s => s is ComponentState.Active or ComponentState.Standby);

    /// <summary>No component is failing.</summary>
    public bool IsHealthy => States.Values.All(s => s is not ComponentState.Failing);

    /// <summary>Scheduling cycles completed by this host.</summary>
    public long Cycles => _runners.TryGetValue(Component.Scheduler, out var runner) ? Interlocked.Read(ref runner.Rounds) : 0;

    /// <summary>Pods this host's binder bound.</summary>
    public long Bound => _runners.TryGetValue(Component.Binder, out var runner) ? Interlocked.Read(ref runner.Done) : 0;

    /// <summary>
    /// Completes when the events this host's binder has queued so far are written: they trail its binds (see
    /// <see cref="BinderEventLane"/>), and a tool that counts requests waits for them.
    /// </summary>
    public Task FlushBinderEventsAsync() => _binder?.FlushEventsAsync() ?? Task.CompletedTask;

    /// <summary>Raised on the scheduler's loop after every scheduling cycle, so an observer that subscribes misses none.</summary>
    public event Action<CycleOutcome>? CycleCompleted;

    /// <summary>Completes with the next scheduling cycle's outcome (for tests and tools that wait for the scheduler).</summary>
    public Task<CycleOutcome> NextCycleAsync()
    {
        lock (_gate)
        {
            return _nextCycle.Task;
        }
    }

    /// <summary>Stops gracefully (see the remarks) and releases the leases this host holds.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        LogStopping(_logger);
        await _stop.CancelAsync().ConfigureAwait(false);
        _hardStop.CancelAfter(_options.ShutdownGracePeriod);
        await Task.WhenAll(_runners.Values.Select(r => r.Run)).ConfigureAwait(false);
        lock (_gate)
        {
            _nextCycle.TrySetCanceled();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _hardStop.Dispose();
    }

    private void SetState(Runner runner, ComponentState state)
    {
        lock (_gate)
        {
            runner.State = state;
        }
    }

    private async Task RunAsync(Runner runner)
    {
        var stop = _stop.Token;
        var time = _options.TimeProvider;
        var elector = _options.LeaderElection is { } election
            ? new LeaderElector(_cluster, Components.LeaseNameOf(runner.Component, _options.SchedulerName, _options.Partition), election, time, _logger)
            : null;
        while (!stop.IsCancellationRequested)
        {
            LeadershipTerm? term = null;
            try
            {
                if (elector is not null)
                {
                    SetState(runner, ComponentState.Standby);
                    term = await elector.AcquireAsync(stop).ConfigureAwait(false);
                }

                using var active = term is null ? CancellationTokenSource.CreateLinkedTokenSource(stop) : CancellationTokenSource.CreateLinkedTokenSource(stop, term.Lost);
                await RunComponentAsync(runner, active.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested || term?.Lost.IsCancellationRequested == true)
            {
                // Stopped, or leadership lost: the component has finished its work in flight.
            }
            catch (Exception e)
            {
                SetState(runner, ComponentState.Failing);
                LogComponentFailed(_logger, Components.NameOf(runner.Component), e);
                try
                {
                    await Task.Delay(_options.RestartDelay, time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }
            }
            finally
            {
                if (term is not null)
                {
                    await term.EndAsync(release: stop.IsCancellationRequested, _hardStop.Token).ConfigureAwait(false);
                    await term.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        SetState(runner, ComponentState.Stopped);
    }

    /// <summary>Runs one component until <paramref name="active"/> fires; work in flight then completes.</summary>
    private Task RunComponentAsync(Runner runner, CancellationToken active) => runner.Component switch
    {
        Component.Scheduler => RunSchedulerAsync(runner, active),
        Component.Binder => RunBinderAsync(runner, active),
        Component.PodGrouper => RunPeriodicallyAsync(runner, PodGrouper.CreateAsync(_cluster, new PodGrouperOptions { SchedulerName = _options.SchedulerName }, active), static (g, ct) => g.RunOnceAsync(ct), active),
        Component.PodGroupController => RunPeriodicallyAsync(runner, PodGroupStatusController.CreateAsync(_cluster, active), static (c, ct) => c.RunOnceAsync(ct), active, _options.StatusPeriod),
        Component.QueueController => RunPeriodicallyAsync(runner, QueueStatusController.CreateAsync(_cluster, active), static (c, ct) => c.RunOnceAsync(ct), active, _options.StatusPeriod),
        Component.NodeScaleAdjuster => RunPeriodicallyAsync(
            runner,
            NodeScaleAdjuster.CreateAsync(_cluster, _options.ScaleAdjuster with { SchedulerName = _options.SchedulerName }, _options.TimeProvider, _logger, active),
            static (a, ct) => a.RunOnceAsync(ct),
            active),
        _ => Task.CompletedTask,
    };

    /// <summary>A cycle every schedule period; the cycle in flight completes (on the hard-stop token) when <paramref name="active"/> fires.</summary>
    private async Task RunSchedulerAsync(Runner runner, CancellationToken active)
    {
        var time = _options.TimeProvider;
        using var scheduler = await Scheduler.CreateAsync(_cluster, _options.Configuration, KaiPlugins.Registry, time, _options.Eviction, _options.Telemetry, active).ConfigureAwait(false);
        SetState(runner, ComponentState.Active);
        while (!active.IsCancellationRequested)
        {
            var started = time.GetUtcNow();

            // On a backend whose feeds lag behind its writes, the cycle starts once the last cycle's bind
            // requests are in the cache, so no pod is placed twice.
            if (_cluster is IOwnWritesBarrier barrier)
            {
                await barrier.WaitForOwnWritesAsync(active).ConfigureAwait(false);
            }

            var outcome = await scheduler.RunCycleAsync(_hardStop.Token).ConfigureAwait(false);
            await scheduler.FlushStatusAsync().ConfigureAwait(false);
            Interlocked.Increment(ref runner.Rounds);
            CompleteCycle(outcome);
            var wait = _options.SchedulePeriod - (time.GetUtcNow() - started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, active).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Binds as bind requests arrive and retries fall due.</summary>
    private async Task RunBinderAsync(Runner runner, CancellationToken active)
    {
        // Disposal waits for the queued events: a graceful stop loses none (the hard stop drops what is left).
        var binder = await Binder.CreateAsync(_cluster, _options.TimeProvider, _options.Binder, active).ConfigureAwait(false);
        await using (binder.ConfigureAwait(false))
        {
            _binder = binder;
            SetState(runner, ComponentState.Active);
            while (!active.IsCancellationRequested)
            {
                await binder.WaitForWorkAsync(active).ConfigureAwait(false);
                Interlocked.Add(ref runner.Done, await binder.RunOnceAsync(_hardStop.Token).ConfigureAwait(false));
            }
        }
    }

    /// <summary>A controller that looks for work every <paramref name="period"/> (default: the group period).</summary>
    private async Task RunPeriodicallyAsync<TController>(
        Runner runner, ValueTask<TController> creating, Func<TController, CancellationToken, ValueTask<int>> runOnce, CancellationToken active, TimeSpan? period = null)
        where TController : IDisposable
    {
        using var controller = await creating.ConfigureAwait(false);
        SetState(runner, ComponentState.Active);
        while (!active.IsCancellationRequested)
        {
            Interlocked.Add(ref runner.Done, await runOnce(controller, _hardStop.Token).ConfigureAwait(false));
            await Task.Delay(period ?? _options.GroupPeriod, _options.TimeProvider, active).ConfigureAwait(false);
        }
    }

    private void CompleteCycle(CycleOutcome outcome)
    {
        TaskCompletionSource<CycleOutcome> finished;
        lock (_gate)
        {
            finished = _nextCycle;
            _nextCycle = new TaskCompletionSource<CycleOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        finished.TrySetResult(outcome);
        CycleCompleted?.Invoke(outcome);
    }

    private sealed class Runner(Component component)
    {
        public long Rounds;
        public long Done;

        public Component Component { get; } = component;

        public ComponentState State { get; set; } = ComponentState.Starting;

        public Task Run { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "stopping: work in flight completes, then leases are released")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "{Component} failed; it starts again shortly")]
    private static partial void LogComponentFailed(ILogger logger, string component, Exception exception);
}
