using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kai.ApiServer.Faults;
using Kai.ApiServer.Handlers;
using Kai.ApiServer.Http;
using Kai.ApiServer.Selectors;
using Kai.ApiServer.Tables;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Watch;

/// <summary>
/// A watch (<c>?watch=true</c>): a chunked stream of <c>{"type":…,"object":…}</c> lines from a change feed of the
/// resource's kind, filtered by namespace and selectors (an object leaving the selection is DELETED, one entering
/// it ADDED), with periodic BOOKMARKs when asked, <c>sendInitialEvents</c>, and a closing ERROR event with 410
/// Expired when the requested resource version is no longer retained or the watcher fell too far behind.
/// Objects are written from the shared per-object JSON cache, so each change is serialised once for all watchers.
/// </summary>
internal sealed class WatchHandler(ServerContext context)
{
    private static readonly byte[] Added = "{\"type\":\"ADDED\",\"object\":"u8.ToArray();
    private static readonly byte[] Modified = "{\"type\":\"MODIFIED\",\"object\":"u8.ToArray();
    private static readonly byte[] Deleted = "{\"type\":\"DELETED\",\"object\":"u8.ToArray();
    private static readonly byte[] Bookmark = "{\"type\":\"BOOKMARK\",\"object\":"u8.ToArray();
    private static readonly byte[] Error = "{\"type\":\"ERROR\",\"object\":"u8.ToArray();
    private static readonly byte[] EventEnd = "}\n"u8.ToArray();

    private ServerContext Context { get; } = context;

    public async Task ServeAsync(ResourceRequest request)
    {
        var query = ReadQuery(request);
        var (feed, expired) = await SubscribeAsync(query.Feed, request.Aborted).ConfigureAwait(false);

        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = MediaTypes.Json;
        await response.StartAsync(request.Aborted).ConfigureAwait(false);
        var writer = response.BodyWriter;
        if (expired is not null)
        {
            WriteError(writer, ApiException.Expired(expired.Message));
            await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
            return;
        }

        using (feed)
        {
            var session = new Session(this, request, query.Filter, query.Table, writer);
            await session.RunAsync(feed!, query.Bookmarks, query.SendInitialEvents, query.Timeout).ConfigureAwait(false);
        }
    }

    /// <summary>The watch's query string: what to select, how to start, when to stop and how to render.</summary>
    private WatchQuery ReadQuery(ResourceRequest request)
    {
        var http = request.Request;
        var resource = request.Resource;
        var filter = new WatchFilter(
            resource,
            resource.Namespaced ? request.Namespace : null,
            LabelSelector.Parse(Query.Text(http, "labelSelector")),
            FieldSelector.Parse(Query.Text(http, "fieldSelector"), resource));
        var sendInitialEvents = Query.Flag(http, "sendInitialEvents");
        if (sendInitialEvents && Query.Text(http, "resourceVersionMatch") != "NotOlderThan")
        {
            throw ApiException.Invalid("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan");
        }

        var timeout = Query.Integer(http, "timeoutSeconds") is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : Context.Options.DefaultWatchTimeout;
        var table = MediaTypes.WantsTable(http.Headers.Accept) ? Query.Text(http, "includeObject") ?? "Metadata" : null;
        var feed = new ChangeFeedOptions
        {
            Kinds = [resource.Storage.Key],
            ResourceVersion = sendInitialEvents ? null : Query.Text(http, "resourceVersion"),
            Capacity = Context.Options.WatchBacklogLimit + Context.Cluster.Count(resource.Storage),
        };
        return new WatchQuery(filter, Query.Flag(http, "allowWatchBookmarks"), sendInitialEvents, timeout, table, feed);
    }

    /// <summary>
    /// Subscribes to the kind's change feed. An expired resource version is returned, not thrown: as the API server,
    /// once the request is accepted an expired version is an ERROR event in the stream.
    /// </summary>
    private async Task<(IChangeFeed? Feed, ClusterException? Expired)> SubscribeAsync(ChangeFeedOptions options, CancellationToken aborted)
    {
        try
        {
            if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0" && Context.Options.Faults?.TakeWatchExpiry() == true)
            {
                throw new ClusterException(ClusterErrorReason.Expired, $"too old resource version: {options.ResourceVersion} (injected fault)");
            }

            return (await Context.Cluster.SubscribeAsync(options, aborted).ConfigureAwait(false), null);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.Expired)
        {
            return (null, e);
        }
        catch (ClusterException e) when (e.Message.StartsWith("too large resource version", StringComparison.Ordinal))
        {
            throw new ApiException(504, "Timeout", "Timeout: T" + e.Message[1..]);
        }
        catch (ClusterException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
    }

    private sealed record WatchQuery(
        WatchFilter Filter, bool Bookmarks, bool SendInitialEvents, TimeSpan Timeout, string? Table, ChangeFeedOptions Feed);

    private static void Write(PipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        writer.Advance(bytes.Length);
    }

    private static void WriteError(PipeWriter writer, ApiException error)
    {
        Write(writer, Error);
        Write(writer, KubeJson.Serialize(error.ToStatus()));
        Write(writer, EventEnd);
    }

    /// <summary>One watch's loop: drain the feed, write matching events, flush, wait for more or for a bookmark or the end.</summary>
    private sealed class Session(WatchHandler handler, ResourceRequest request, WatchFilter filter, string? table, PipeWriter writer)
    {
        private readonly ServerContext _context = handler.Context;
        private long _lastWritten;

        public async Task RunAsync(IChangeFeed feed, bool bookmarks, bool sendInitialEvents, TimeSpan timeout)
        {
            var time = _context.Time;
            var deadline = time.GetUtcNow() + timeout;
            var nextBookmark = time.GetUtcNow() + _context.Options.BookmarkInterval;
            var initialEnd = sendInitialEvents ? long.Parse(feed.StartResourceVersion, CultureInfo.InvariantCulture) : (long?)null;
            var cut = request.Http.Items.TryGetValue(ApiFaults.WatchCutItem, out var given) && given is CancellationToken token ? token : CancellationToken.None;
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted, _context.Stopping, cut);
            using var abortOnCut = cut.Register(static state => ((HttpContext)state!).Abort(), request.Http);
            var reader = feed.Changes;
            while (true)
            {
                var current = _context.Cluster.ResourceVersion;
                initialEnd = WriteQueued(reader, initialEnd);
                var now = time.GetUtcNow();
                if (bookmarks && now >= nextBookmark)
                {
                    WriteBookmark(Math.Max(current, _lastWritten), initialEventsEnd: false);
                    nextBookmark = now + _context.Options.BookmarkInterval;
                }

                await writer.FlushAsync(lifetime.Token).ConfigureAwait(false);
                if (now >= deadline || lifetime.IsCancellationRequested)
                {
                    return;
                }

                var wait = (bookmarks && nextBookmark < deadline ? nextBookmark : deadline) - now;
                if (!await WaitForChangesAsync(reader, wait, lifetime.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Writes the changes queued so far; the bookmark that ends the initial events goes before the first change
        /// past <paramref name="initialEnd"/>, or after the last one. Returns null once that bookmark is written.
        /// </summary>
        private long? WriteQueued(ChannelReader<ClusterChange> reader, long? initialEnd)
        {
            while (reader.TryRead(out var change))
            {
                if (initialEnd is { } end && ParseVersion(change.ResourceVersion) > end)
                {
                    WriteBookmark(end, initialEventsEnd: true);
                    initialEnd = null;
                }

                WriteChange(change);
            }

            if (initialEnd is { } last)
            {
                WriteBookmark(last, initialEventsEnd: true);
            }

            return null;
        }

        /// <summary>Waits up to <paramref name="wait"/> for more changes; false when the watch must end.</summary>
        private async Task<bool> WaitForChangesAsync(ChannelReader<ClusterChange> reader, TimeSpan wait, CancellationToken lifetime)
        {
            using var timer = new CancellationTokenSource(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _context.Time);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(lifetime, timer.Token);
            try
            {
                return await reader.WaitToReadAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.Expired)
            {
                // This watcher fell too far behind; what was queued before has been written.
                WriteError(writer, ApiException.Expired(e.Message));
                await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
                return false;
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !lifetime.IsCancellationRequested)
            {
                // A bookmark is due or the watch timed out: the loop decides.
                return true;
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return false;
            }
        }

        private void WriteChange(in ClusterChange change)
        {
            var obj = change.Object;
            switch (change.Type)
            {
                case ChangeType.Added:
                    if (filter.Matches(obj))
                    {
                        WriteEvent(Added, obj);
                    }

                    break;
                case ChangeType.Modified:
                    var now = filter.Matches(obj);
                    var before = filter.IsNamespaceOnly || change.Previous is null ? now : filter.Matches(change.Previous);
                    if (now)
                    {
                        WriteEvent(before ? Modified : Added, obj);
                    }
                    else if (before)
                    {
                        // Left the selection: DELETED with its last matching state at this change's version.
                        var previous = KubeObjects.WithMetadata(change.Previous!, change.Previous!.Metadata with { ResourceVersion = change.ResourceVersion });
                        WriteEvent(Deleted, previous, cached: false);
                    }

                    break;
                case ChangeType.Deleted:
                    if (filter.Matches(obj) || (change.Previous is { } last && filter.Matches(last)))
                    {
                        WriteEvent(Deleted, obj);
                    }

                    break;
            }

            _lastWritten = Math.Max(_lastWritten, ParseVersion(change.ResourceVersion));
        }

        private void WriteEvent(byte[] type, IKubernetesObject<V1ObjectMeta> obj, bool cached = true)
        {
            Write(writer, type);
            if (table is not null)
            {
                Write(writer, TableWriter.Write(_context, filter.Resource, [obj], obj.Metadata.ResourceVersion, null, table));
            }
            else if (cached)
            {
                Write(writer, ObjectCodec.Encode(_context, filter.Resource, obj));
            }
            else
            {
                var resource = filter.Resource;
                Write(writer, KubeJson.Serialize(resource.View is { } view ? view.ToWire(obj) : obj));
            }

            Write(writer, EventEnd);
        }

        private void WriteBookmark(long resourceVersion, bool initialEventsEnd)
        {
            var resource = filter.Resource;
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("kind", resource.Kind);
                json.WriteString("apiVersion", resource.ApiVersion);
                json.WriteStartObject("metadata");
                json.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
                if (initialEventsEnd)
                {
                    json.WriteStartObject("annotations");
                    json.WriteString("k8s.io/initial-events-end", "true");
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            Write(writer, Bookmark);
            Write(writer, buffer.WrittenSpan);
            Write(writer, EventEnd);
        }

        private static long ParseVersion(string version) => long.Parse(version, CultureInfo.InvariantCulture);
    }
}
