using k8s;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>
/// Keeps one kind's cache in step with the API server: list, then watch from the list's resource version with
/// bookmarks; a watch that ends cleanly (its timeout) is opened again from the last version seen; 410 Gone (in the
/// stream, or on the request) relists and publishes the difference; a failed list or watch (connection refused or
/// reset, a server error, KubernetesClient's "error while copying content" on an empty timed-out watch) waits a
/// jittered exponential back-off and continues from the last version; a watch silent for longer than the
/// inactivity timeout is abandoned and opened again.
/// </summary>
internal sealed partial class Reflector(IResourceClient client, KindCache cache, IReflectorSink sink, KubernetesClusterOptions options, Backoff backoff, ILogger logger)
{
    public ReflectorStatistics Statistics { get; } = new();

    public KindInfo Kind => cache.Kind;

    public async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        string? resourceVersion = null;
        while (!stop.IsCancellationRequested)
        {
            WatchEnd end;
            bool progressed;
            try
            {
                (end, resourceVersion, progressed) = await ListAndWatchAsync(resourceVersion, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            failures = progressed ? 0 : failures;

            // Continue from the last version the cache applied, even when the watch broke part-way.
            if (resourceVersion is not null && end != WatchEnd.Expired)
            {
                resourceVersion = cache.ResourceVersion;
            }

            if (end == WatchEnd.Expired)
            {
                Statistics.CountExpired();
                LogExpired(logger, Kind, resourceVersion ?? "-");
                resourceVersion = null;
            }
            else if (end == WatchEnd.Broken && !await BackOffAsync(++failures, stop).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// A list when there is no version to watch from, then one watch; how it ended, the version reached and whether
    /// anything arrived (a list or an event resets the back-off).
    /// </summary>
    private async Task<(WatchEnd End, string? ResourceVersion, bool Progressed)> ListAndWatchAsync(string? resourceVersion, CancellationToken stop)
    {
        var progressed = false;
        try
        {
            if (resourceVersion is null)
            {
                resourceVersion = await ListAsync(stop).ConfigureAwait(false);
                progressed = true;
            }

            var (end, reached, received) = await WatchAsync(resourceVersion, stop).ConfigureAwait(false);
            return (end, reached, progressed || received);
        }
        catch (Exception e) when (ApiErrors.StatusCodeOf(e) == 410)
        {
            return (WatchEnd.Expired, resourceVersion, progressed);
        }
        catch (Exception e) when (ApiErrors.StatusCodeOf(e) is not null || ApiErrors.IsTransport(e, stop))
        {
            if (ApiErrors.StatusCodeOf(e) == 404 && !cache.IsSynced)
            {
                // The kind is not served (its CRD is not installed): an empty cache now, a retry later.
                LogNotServed(logger, Kind);
                cache.MarkSynced();
            }
            else
            {
                LogFailed(logger, Kind, e);
            }

            return (WatchEnd.Broken, resourceVersion, progressed);
        }
    }

    /// <summary>Waits the back-off after <paramref name="failures"/> failures in a row; false when stopped meanwhile.</summary>
    private async Task<bool> BackOffAsync(int failures, CancellationToken stop)
    {
        Statistics.CountBroken();
        try
        {
            await Task.Delay(backoff.Delay(failures), options.TimeProvider, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<string> ListAsync(CancellationToken stop)
    {
        var (items, resourceVersion) = await client.ListAsync(options.ListPageSize, stop).ConfigureAwait(false);
        Statistics.CountList();
        sink.ApplyList(cache, items, resourceVersion);
        cache.MarkSynced();
        return resourceVersion;
    }

    /// <summary>One watch, until it ends; returns how, the last resource version seen and whether anything arrived.</summary>
    private async Task<(WatchEnd End, string ResourceVersion, bool Received)> WatchAsync(string resourceVersion, CancellationToken stop)
    {
        var timeout = options.WatchTimeout.TotalSeconds * (1 + backoff.NextJitter());
        using var idle = new CancellationTokenSource(options.InactivityTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, idle.Token);
        Exception? streamError = null;
        var received = false;
        Statistics.CountWatch();
        try
        {
            await foreach (var (type, obj) in client.WatchAsync(resourceVersion, (int)Math.Ceiling(timeout), e => streamError ??= e, linked.Token).ConfigureAwait(false))
            {
                idle.CancelAfter(options.InactivityTimeout);
                received = true;
                if (type == WatchEventType.Bookmark)
                {
                    if (obj.Metadata?.ResourceVersion is { Length: > 0 } bookmark)
                    {
                        resourceVersion = bookmark;
                        sink.ApplyBookmark(cache, bookmark);
                    }

                    continue;
                }

                if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
                {
                    Statistics.CountEvent();
                    sink.ApplyEvent(cache, type, obj);
                    resourceVersion = obj.Metadata.ResourceVersion ?? resourceVersion;
                }
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Statistics.CountIdle();
            LogIdle(logger, Kind, options.InactivityTimeout.TotalSeconds);
            return (WatchEnd.Broken, resourceVersion, received);
        }

        // In-stream ERROR events (and lines that are not events) are not yielded: the watch reader hands them to
        // onError and the stream ends.
        if (streamError is not null)
        {
            return (ApiErrors.StatusCodeOf(streamError) == 410 ? WatchEnd.Expired : WatchEnd.Broken, resourceVersion, received);
        }

        // A watch that closes at once with nothing in it is not progress; waiting a back-off keeps a misbehaving
        // server from being asked again in a tight loop.
        return (received ? WatchEnd.Clean : WatchEnd.Broken, resourceVersion, received);
    }

    private enum WatchEnd
    {
        Clean,
        Expired,
        Broken,
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "{Kind}: list or watch failed; retrying after a back-off")]
    private static partial void LogFailed(ILogger logger, KindInfo kind, Exception error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Kind}: resource version {ResourceVersion} expired (410 Gone); relisting")]
    private static partial void LogExpired(ILogger logger, KindInfo kind, string resourceVersion);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Kind}: the watch was silent for {Seconds} s; opening it again")]
    private static partial void LogIdle(ILogger logger, KindInfo kind, double seconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Kind} is not served by the API server (is its CustomResourceDefinition installed?); treated as empty, retrying")]
    private static partial void LogNotServed(ILogger logger, KindInfo kind);
}
