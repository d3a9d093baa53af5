using Kai.Cluster.Port;
using Kai.Controllers.Observability;

namespace Kai.Controllers.Binding;

/// <summary>
/// The binder's events, which are for people, written behind its binds: each round's events are queued in order and
/// written by at most <see cref="BinderOptions.EventWriters"/> background writers, so the next round's binds never
/// wait for them. Kubernetes does the same: client-go's event broadcaster writes events from its own queue.
/// </summary>
/// <remarks>
/// A writer starts on the caller's thread and continues in the background only once a write does not complete at
/// once. On the embedded cluster every write completes at once, so a round's events are all written before
/// <see cref="Enqueue"/> returns: the same writes in the same order as before the lane existed, so runs stay
/// deterministic. A refused write is logged and the lane goes on; when a round's token is cancelled (hard stop), its
/// events that are still queued are dropped.
/// </remarks>
internal sealed partial class BinderEventLane
{
    private readonly ICluster _cluster;
    private readonly int _writers;
    private readonly ILogger _logger;
    private readonly Queue<(EventRecord Event, CancellationToken Token)> _queue = new();
    private readonly Lock _gate = new();
    private int _running;
    private TaskCompletionSource _idle = new();

    public BinderEventLane(ICluster cluster, int writers, ILogger logger)
    {
        _cluster = cluster;
        _writers = Math.Max(writers, 1);
        _logger = logger;
        _idle.SetResult();
    }

    /// <summary>Events queued and not yet being written.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="events"/> after those queued before and starts writers if fewer than allowed run.</summary>
    public void Enqueue(IReadOnlyList<EventRecord> events, CancellationToken cancellationToken)
    {
        int start;
        lock (_gate)
        {
            foreach (var e in events)
            {
                _queue.Enqueue((e, cancellationToken));
            }

            start = Math.Min(_writers - _running, _queue.Count);
            if (_running == 0 && start > 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _running += start;
        }

        for (var i = 0; i < start; i++)
        {
            // Never faults (every write's failure is logged); FlushAsync waits for the writers through _idle.
            _ = WriteQueuedAsync();
        }
    }

    /// <summary>Completes when every event queued so far has been written (or its write has failed).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    private async Task WriteQueuedAsync()
    {
        while (TryTakeNext(out var next))
        {
            await WriteAsync(next.Event, next.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The next queued event; when there is none this writer ends, and the last one to end marks the lane idle.</summary>
    private bool TryTakeNext(out (EventRecord Event, CancellationToken Token) next)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out next))
            {
                return true;
            }

            if (--_running == 0)
            {
                _idle.TrySetResult();
            }

            return false;
        }
    }

    private async ValueTask WriteAsync(EventRecord e, CancellationToken cancellationToken)
    {
        try
        {
            await _cluster.RecordEventAsync(e, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped hard: what is still queued is dropped, as a killed binder loses its queued events.
        }
        catch (Exception failure)
        {
            // An event is for people; a refused one does not undo the bind, nor stops the events after it.
            LogEventFailed(_logger, e.Reason, $"{e.InvolvedObject.NamespaceProperty}/{e.InvolvedObject.Name}", failure.Message);
        }
    }

    [LoggerMessage(EventId = KaiEventIds.BindEventFailed, Level = LogLevel.Warning, Message = "Recording the {Reason} event of pod {Pod} failed: {Problem}")]
    private static partial void LogEventFailed(ILogger logger, string reason, string pod, string problem);
}
