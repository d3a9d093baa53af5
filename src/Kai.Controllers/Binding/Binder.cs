using System.Diagnostics;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Controllers.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Controllers.Binding;

/// <summary>
/// KAI's binder: carries out bind requests by binding each pod to its selected node through the binding subresource
/// and reporting the outcome in the request's status. Events on the pod: <c>Scheduled</c> and <c>Bound</c> once bound
/// (KAI's scheduler reports <c>Scheduled</c> when it creates the request; here the binder does, which keeps it off the
/// scheduling cycle), <c>BindingError</c> when binding fails (and a warning in the log). For pods that share GPUs it does KAI's hand-shake
/// (<see cref="GpuSharingHandshake"/>: reservation pods, group labels, received resource type); for pods with DRA
/// claims it writes the claims' allocation and <c>reservedFor</c> (<see cref="ClaimStatusWriter"/>). Events are
/// written behind the binds by the <see cref="BinderEventLane"/>: the next round of binds never waits for them.
/// </summary>
/// <remarks>
/// <para><b>Retries.</b> A failed bind is tried again after 2^n seconds (n = failures so far) while
/// <c>spec.backoffLimit</c> (else <see cref="BinderOptions.DefaultBackoffLimit"/>) is larger than n; meanwhile the
/// request stays <c>Pending</c> with <c>failedAttempts</c> and the last <c>reason</c>, so the scheduler keeps counting
/// the pod on its node. Then it is <c>Failed</c> and the scheduler places the pod again. Each request waits on its own
/// clock: a failing request never holds up the others.</para>
/// <para><b>Idempotent.</b> A pod already on the selected node counts as bound (a request retried after the bind
/// succeeded but its status write did not); a pod bound elsewhere fails the request for good.</para>
/// </remarks>
public sealed partial class Binder : IDisposable, IAsyncDisposable
{
    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly GpuSharingHandshake _sharing;
    private readonly ClaimStatusWriter _claims;
    private readonly TimeProvider _time;
    private readonly BinderOptions _options;
    private readonly ILogger _logger;
    private readonly BinderEventLane _events;

    // Requests to bind, by namespace/name: the latest version seen and when it may be tried (now, or after a back-off).
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new(); // workers run concurrently against an API server and share _pending
    private long _arrivals;

    private Binder(ICluster cluster, IChangeFeed feed, TimeProvider time, BinderOptions options, ILogger logger)
    {
        _cluster = cluster;
        _feed = feed;
        _time = time;
        _options = options;
        _sharing = new GpuSharingHandshake(cluster);
        _claims = new ClaimStatusWriter(cluster);
        _logger = logger;
        _events = new BinderEventLane(cluster, options.EventWriters, logger);
    }

    public static ValueTask<Binder> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, TimeProvider.System, BinderOptions.Default, NullLogger.Instance, cancellationToken);

    /// <summary>A binder that logs failed binds to <paramref name="logger"/>.</summary>
    public static ValueTask<Binder> CreateAsync(ICluster cluster, ILogger logger, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, TimeProvider.System, BinderOptions.Default, logger, cancellationToken);

    public static ValueTask<Binder> CreateAsync(ICluster cluster, TimeProvider time, BinderOptions options, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, time, options, NullLogger.Instance, cancellationToken);

    /// <summary>A binder on <paramref name="time"/> with <paramref name="options"/> that logs failed binds to <paramref name="logger"/>.</summary>
    public static async ValueTask<Binder> CreateAsync(ICluster cluster, TimeProvider time, BinderOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<BindRequest>()), cancellationToken).ConfigureAwait(false);
        return new Binder(cluster, feed, time, options, logger);
    }

    /// <summary>Requests waiting to be bound or retried.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// Binds every request that arrived since the last call and every retry that is due, in arrival order, with up to
    /// <see cref="BinderOptions.Workers"/> binds in flight.
    /// </summary>
    /// <returns>How many pods were bound.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (_events.Queued > _options.MaxQueuedEvents)
        {
            // Events lag too far behind: memory stays bounded by letting them catch up before binding more.
            await _events.FlushAsync().ConfigureAwait(false);
        }

        Drain();
        var now = _time.GetUtcNow();
        var due = _pending.Values.Where(p => p.Due <= now).OrderBy(p => p.Arrival).ToList();
        if (due.Count == 0)
        {
            await _sharing.ReleaseEmptyGroupsAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        // On the embedded cluster every write completes at once, so the binds happen one after the other in arrival
        // order; against an API server up to Workers overlap their requests.
        var bound = 0;
        var events = new List<EventRecord>(2 * due.Count);
        await ConcurrentWrites.ForEachAsync(due, _options.Workers, async (pending, ct) =>
        {
            if (await BindAsync(pending, events, ct).ConfigureAwait(false))
            {
                Interlocked.Increment(ref bound);
            }
        }, cancellationToken).ConfigureAwait(false);
        _events.Enqueue(events, cancellationToken);
        await _sharing.ReleaseEmptyGroupsAsync(cancellationToken).ConfigureAwait(false);
        return bound;
    }

    /// <summary>Completes when a request arrives or a retry falls due (for a binder that runs continuously).</summary>
    public async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var earliest = _pending.Count == 0 ? (DateTimeOffset?)null : _pending.Values.Min(p => p.Due);
        var wait = earliest is { } due ? due - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan)
        {
            // The timer runs on the injected clock, so tests move it with a fake time provider.
            _ = Task.Delay(wait, _time, timer.Token).ContinueWith(_ => timer.Cancel(), TaskScheduler.Default);
        }

        try
        {
            await _feed.Changes.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A retry is due.
        }
        finally
        {
            await timer.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the events of every round so far are written (or their writes failed).</summary>
    public Task FlushEventsAsync() => _events.FlushAsync();

    /// <summary>Stops watching bind requests; events still queued are written in the background (see <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => _feed.Dispose();

    /// <summary>Waits for the queued events to be written (a graceful stop loses none), then stops watching.</summary>
    public async ValueTask DisposeAsync()
    {
        await FlushEventsAsync().ConfigureAwait(false);
        Dispose();
    }

    private void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            if (change.Object is not BindRequest request)
            {
                continue;
            }

            var key = $"{request.Metadata.NamespaceProperty}/{request.Metadata.Name}";
            if (change.Type == ChangeType.Deleted
                || request.Metadata.DeletionTimestamp is not null
                || request.Status?.Phase is BindRequestStatus.PhaseSucceeded or BindRequestStatus.PhaseFailed)
            {
                _pending.Remove(key);
                continue;
            }

            // A newer version of a request already waiting (our own status write, say) keeps its place and its back-off;
            // a request created anew (another uid) starts afresh.
            if (_pending.TryGetValue(key, out var waiting) && waiting.Request.Metadata.Uid == request.Metadata.Uid)
            {
                _pending[key] = waiting with { Request = request };
            }
            else
            {
                _pending[key] = new Pending(request, _time.GetUtcNow(), _arrivals++);
            }
        }
    }

    private async Task<bool> BindAsync(Pending pending, List<EventRecord> events, CancellationToken cancellationToken)
    {
        var request = pending.Request;
        var ns = request.Metadata.NamespaceProperty;
        var podName = request.Spec?.PodName ?? request.Metadata.Name;
        var node = request.Spec?.SelectedNode ?? string.Empty;
        var started = Stopwatch.GetTimestamp();
        var (pod, failure) = await TryBindAsync(request, ns, podName, node, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            BinderMetrics.Binds.Add(1);
            BinderMetrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await SucceededAsync(request, pod!, node, events, cancellationToken).ConfigureAwait(false);
            return true;
        }

        await FailedAsync(pending, podName, node, failure, events, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// KAI's order: the shared GPUs are reserved, the pod is bound (carrying the resource type it received, which the
    /// binding sets on the pod in the same request), its GPU-group labels written, its claims' status written.
    /// </summary>
    private async Task<(V1Pod? Pod, ClusterException? Failure)> TryBindAsync(BindRequest request, string ns, string podName, string node, CancellationToken cancellationToken)
    {
        V1Pod? pod = null;
        ClusterException? failure = null;
        try
        {
            await _sharing.ReserveAsync(request, cancellationToken).ConfigureAwait(false);
            pod = await _cluster.BindPodAsync(ns, podName, node, GpuSharingHandshake.BindingAnnotations(request), cancellationToken).ConfigureAwait(false);
            await _sharing.LabelAsync(pod, request, cancellationToken).ConfigureAwait(false);
            if (request.Spec?.ResourceClaimAllocations is { Count: > 0 } allocations)
            {
                await _claims.WriteAsync(pod, allocations, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException e)
        {
            failure = e;
        }

        if (failure?.Reason == ClusterErrorReason.Conflict
            && await _cluster.GetAsync<V1Pod>(ns, podName, cancellationToken).ConfigureAwait(false) is { } current
            && current.Spec?.NodeName == node)
        {
            // Bound by an earlier attempt whose status write was lost.
            (pod, failure) = (current, null);
        }

        return (pod, failure);
    }

    private async Task SucceededAsync(BindRequest request, V1Pod pod, string node, List<EventRecord> events, CancellationToken cancellationToken)
    {
        var ns = request.Metadata.NamespaceProperty;
        lock (_gate)
        {
            _pending.Remove($"{ns}/{request.Metadata.Name}");
        }

        await ReportAsync(request, new BindRequestStatus { Phase = BindRequestStatus.PhaseSucceeded, FailedAttempts = request.Status?.FailedAttempts ?? 0 }, cancellationToken).ConfigureAwait(false);
        var podName = pod.Metadata.Name;
        lock (events)
        {
            events.Add(EventOn(pod, EventType.Normal, "Scheduled", $"Successfully assigned {ns}/{podName} to {node}"));
            events.Add(EventOn(pod, EventType.Normal, "Bound", $"Bound pod {ns}/{podName} to node {node}"));
        }
    }

    private async Task FailedAsync(Pending pending, string podName, string node, ClusterException failure, List<EventRecord> events, CancellationToken cancellationToken)
    {
        var request = pending.Request;
        var ns = request.Metadata.NamespaceProperty;
        LogBindFailed(_logger, $"{ns}/{podName}", node, failure.Message);
        BinderMetrics.Failures.Add(1, new KeyValuePair<string, object?>("reason", failure.Reason.ToString()));
        var attempts = request.Status?.FailedAttempts ?? 0;
        var limit = request.Spec?.BackoffLimit ?? _options.DefaultBackoffLimit;
        var gone = failure.Reason == ClusterErrorReason.NotFound;
        var retry = !gone && failure.Reason != ClusterErrorReason.Conflict && limit > attempts;
        var due = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Pow(2, Math.Min(attempts, 16)));
        lock (_gate)
        {
            if (retry)
            {
                _pending[$"{ns}/{request.Metadata.Name}"] = pending with { Due = due };
            }
            else
            {
                _pending.Remove($"{ns}/{request.Metadata.Name}");
            }
        }

        await ReportAsync(request, new BindRequestStatus
        {
            Phase = retry ? BindRequestStatus.PhasePending : BindRequestStatus.PhaseFailed,
            Reason = failure.Message,
            FailedAttempts = attempts + 1,
        }, cancellationToken).ConfigureAwait(false);

        if (!gone && await _cluster.GetAsync<V1Pod>(ns, podName, cancellationToken).ConfigureAwait(false) is { } unbound)
        {
            lock (events)
            {
                events.Add(EventOn(unbound, EventType.Warning, "BindingError", $"Failed to bind {ns}/{podName} to {node}: {failure.Message}"));
            }
        }
    }

    /// <summary>An event of the binder's about <paramref name="pod"/>.</summary>
    private EventRecord EventOn(V1Pod pod, EventType type, string reason, string message) =>
        new(KubeObjects.ReferenceTo(pod, _cluster.Kinds), type, reason, message, KaiConventions.SchedulerName) { OccurredAt = _time.GetUtcNow() };

    /// <summary>Writes the request's status; on a conflict, again on the request as it is now (unless that was replaced).</summary>
    private async Task ReportAsync(BindRequest request, BindRequestStatus status, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = KubeObjects.ShallowCopy(request);
            updated.Status = status;
            try
            {
                var written = await _cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
                var key = $"{written.Metadata.NamespaceProperty}/{written.Metadata.Name}";
                lock (_gate)
                {
                    if (_pending.TryGetValue(key, out var waiting) && waiting.Request.Metadata.Uid == written.Metadata.Uid)
                    {
                        _pending[key] = waiting with { Request = written };
                    }
                }

                return;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                // The pod (and with it its bind request) is gone.
                return;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
            {
                var current = await _cluster.GetAsync<BindRequest>(request.Metadata.NamespaceProperty, request.Metadata.Name, cancellationToken).ConfigureAwait(false);
                if (current is null || current.Metadata.Uid != request.Metadata.Uid)
                {
                    return;
                }

                request = current;
            }
        }
    }

    [LoggerMessage(EventId = KaiEventIds.BindFailed, Level = LogLevel.Warning, Message = "Binding pod {Pod} to node {Node} failed: {Problem}")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, string problem);

    private sealed record Pending(BindRequest Request, DateTimeOffset Due, long Arrival);
}
