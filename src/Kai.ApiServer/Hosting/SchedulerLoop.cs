using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Dra;
using Kai.Controllers.Grouping;
using Kai.Controllers.Observability;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Workloads;

namespace Kai.ApiServer.Hosting;

/// <summary>
/// The scheduler components of <c>kai serve</c>, driven on the real clock: every schedule period the workload
/// controllers create the pods of Jobs, Deployments, PyTorchJobs..., the pod-grouper groups new pods, the scheduler
/// runs a cycle and writes its status, the PodGroup and Queue status controllers update resource figures, the binder
/// binds what was placed and the simulated kubelet starts bound pods, ends those whose run time is up and removes
/// terminated ones. The same components that <c>kai simulate</c>
/// drives on simulated time; a failing tick is logged and the next one runs.
/// </summary>
public sealed partial class SchedulerLoop : IAsyncDisposable
{
    private readonly WorkloadControllers _controllers;
    private readonly PodGrouper _grouper;
    private readonly Binder _binder;
    private readonly ResourceClaimController _claims;
    private readonly Scheduler _scheduler;
    private readonly SimulatedKubelet _kubelet;
    private readonly PodGroupStatusController _podGroupStatus;
    private readonly QueueStatusController _queueStatus;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextTick = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _ticks;

    private SchedulerLoop(
        WorkloadControllers controllers,
        PodGrouper grouper,
        Binder binder,
        ResourceClaimController claims,
        Scheduler scheduler,
        SimulatedKubelet kubelet,
        PodGroupStatusController podGroupStatus,
        QueueStatusController queueStatus,
        ILogger logger)
    {
        _podGroupStatus = podGroupStatus;
        _queueStatus = queueStatus;
        _controllers = controllers;
        _grouper = grouper;
        _binder = binder;
        _claims = claims;
        _scheduler = scheduler;
        _kubelet = kubelet;
        _logger = logger;
    }

    /// <summary>Ticks completed so far.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Subscribes the components to <paramref name="cluster"/> and starts ticking (the first tick at once).</summary>
    public static async Task<SchedulerLoop> StartAsync(
        ICluster cluster,
        SchedulerConfiguration configuration,
        TimeProvider time,
        TimeSpan period,
        ILoggerFactory loggers,
        CancellationToken cancellationToken = default)
    {
        var controllers = await WorkloadControllers.CreateAsync(cluster, time, cancellationToken: cancellationToken).ConfigureAwait(false);
        var grouper = await PodGrouper.CreateAsync(cluster, cancellationToken: cancellationToken).ConfigureAwait(false);
        var binder = await Binder.CreateAsync(cluster, loggers.CreateLogger<Binder>(), cancellationToken).ConfigureAwait(false);
        var telemetry = new SchedulerTelemetry { LoggerFactory = loggers };
        var scheduler = await Scheduler.CreateAsync(cluster, configuration, KaiPlugins.Registry, time, EvictionMode.Delete, telemetry, cancellationToken).ConfigureAwait(false);
        var podGroupStatus = await PodGroupStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var queueStatus = await QueueStatusController.CreateAsync(cluster, cancellationToken).ConfigureAwait(false);
        var loop = new SchedulerLoop(controllers, grouper, binder, new ResourceClaimController(cluster), scheduler, new SimulatedKubelet(cluster, time), podGroupStatus, queueStatus, loggers.CreateLogger<SchedulerLoop>());
        loop._loop = loop.RunAsync(time, period);
        return loop;
    }

    /// <summary>Completes when the tick after this call has finished (for tests and tools that wait for the scheduler).</summary>
    public Task NextTickAsync()
    {
        lock (_gate)
        {
            return _nextTick.Task;
        }
    }

    /// <summary>Stops after the tick in flight and releases the components' change feeds.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _controllers.Dispose();
        _podGroupStatus.Dispose();
        _queueStatus.Dispose();
        _grouper.Dispose();
        _binder.Dispose();
        _scheduler.Dispose();
        _stop.Dispose();
        lock (_gate)
        {
            _nextTick.TrySetCanceled();
        }
    }

    private async Task RunAsync(TimeProvider time, TimeSpan period)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(period, time);
        var stop = _stop.Token;
        do
        {
            try
            {
                await TickAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogTickFailed(_logger, e);
            }

            Interlocked.Increment(ref _ticks);
            TaskCompletionSource finished;
            lock (_gate)
            {
                finished = _nextTick;
                _nextTick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            finished.TrySetResult();
            try
            {
                if (!await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stop.IsCancellationRequested);
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await _controllers.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await _claims.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var grouped = await _grouper.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await _scheduler.RunCycleAsync(cancellationToken).ConfigureAwait(false);
        await _scheduler.FlushStatusAsync().ConfigureAwait(false);
        await _podGroupStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await _queueStatus.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var bound = await _binder.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var (started, removed) = await _kubelet.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        var evicted = outcome.Result.Decisions.Count(d => d.Kind == DecisionKind.Evict);
        if (grouped + bound + started + removed + evicted > 0)
        {
            LogTick(_logger, outcome.Cycle, grouped, bound, evicted, started, removed);
        }
    }

    [LoggerMessage(EventId = KaiEventIds.Tick, Level = LogLevel.Information, Message = "cycle {Cycle}: {Grouped} pods grouped, {Bound} bound, {Evicted} evicted, {Started} started, {Removed} removed")]
    private static partial void LogTick(ILogger logger, int cycle, int grouped, int bound, int evicted, int started, int removed);

    [LoggerMessage(EventId = KaiEventIds.TickFailed, Level = LogLevel.Error, Message = "a scheduling tick failed; the next one runs as usual")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
