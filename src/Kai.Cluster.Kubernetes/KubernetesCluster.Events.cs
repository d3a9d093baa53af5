using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

public sealed partial class KubernetesCluster
{
    private Task? _eventFlushing;

    /// <summary>
    /// Records an event as Kubernetes' recorders do: the first of a series (same object, type, reason and component)
    /// is created; a repeat — whatever its message — raises <c>count</c> and moves <c>lastTimestamp</c> and the
    /// message on that one event. A repeat is written at once when its series was last written at least
    /// <see cref="KubernetesClusterOptions.EventSeriesInterval"/> ago, otherwise with the series' next write (at the
    /// latest one interval later, or on <see cref="FlushEventsAsync"/> and disposal), so a pod that stays
    /// unschedulable for many cycles costs one event and a write per interval, not an event per cycle.
    /// </summary>
    /// <returns>The event as it stands (for a held repeat: as it will be written).</returns>
    public async ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default)
    {
        var created = Draft(record, record.OccurredAt is { } at ? WholeSeconds(at) : Now());
        var key = SeriesKey(created);
        if (_events.Repeat(key, record.Message, created.LastTimestamp!.Value) is { } series)
        {
            var written = series.WrittenAt;
            if (_options.TimeProvider.GetUtcNow() - written < _options.EventSeriesInterval)
            {
                EnsureEventFlushing();
                return AsStored(created, series);
            }

            if (await TryWriteSeriesAsync(key, series, cancellationToken).ConfigureAwait(false) is { } patched)
            {
                return patched;
            }
        }

        var stored = await CreateEventAsync(created, cancellationToken).ConfigureAwait(false);
        _events.Set(key, new EventCorrelator.Series(
            created.Metadata.NamespaceProperty, stored.Metadata.Name, 1, record.Message, created.LastTimestamp.Value, 1, _options.TimeProvider.GetUtcNow()));
        return stored;
    }

    /// <summary>
    /// When set, a created event is read back whole from the answer; by default only the answer's metadata is read
    /// and put on the event as drafted (the API server stores an event as sent, with its metadata filled in). The
    /// slow path stays for the test that proves the two give the same event.
    /// </summary>
    internal bool ReadsWholeEventAnswers { get; set; }

    private async Task<Corev1Event> CreateEventAsync(Corev1Event draft, CancellationToken cancellationToken)
    {
        var resource = ResourceOf(Kinds.Get<Corev1Event>());
        if (ReadsWholeEventAnswers)
        {
            return (Corev1Event)await CallAsync(c => resource.CreateAsync(draft, c), cancellationToken).ConfigureAwait(false);
        }

        var metadata = await CallAsync(c => resource.CreateReadingMetadataAsync(draft, c), cancellationToken).ConfigureAwait(false);
        return draft with { Metadata = metadata };
    }

    /// <summary>Writes every held repeat to its event now (the periodic flush and disposal call this too).</summary>
    public async ValueTask FlushEventsAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (key, series) in _events.Unwritten())
        {
            try
            {
                await TryWriteSeriesAsync(key, series, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Kept: the next flush or repeat writes it again.
                LogEventSeriesNotWritten(_logger, series.Namespace, series.Name, e.Message);
            }
        }
    }

    /// <summary>Patches the series' count, time and message onto its event; null when the event expired (then forgotten).</summary>
    private async ValueTask<Corev1Event?> TryWriteSeriesAsync(string key, EventCorrelator.Series series, CancellationToken cancellationToken)
    {
        var kind = Kinds.Get<Corev1Event>();
        var patch = new V1Patch(SeriesPatch(series), V1Patch.PatchType.MergePatch);
        try
        {
            var patched = await CallAsync(c => ResourceOf(kind).PatchAsync(series.Namespace, series.Name, patch, status: false, c), cancellationToken).ConfigureAwait(false);
            _events.MarkWritten(key, series.Count, _options.TimeProvider.GetUtcNow());
            return (Corev1Event)patched;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            // Expired on the server (events live an hour there): the caller records it afresh.
            _events.Forget(key);
            return null;
        }
    }

    private static string SeriesPatch(EventCorrelator.Series series)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("count", series.Count);
            json.WriteString("lastTimestamp", series.LastTimestamp.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteString("message", series.Message);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Held repeats are written one interval later by a loop started with the first of them.</summary>
    private void EnsureEventFlushing()
    {
        if (_eventFlushing is null && _disposed == 0)
        {
            lock (_gate)
            {
                _eventFlushing ??= Task.Run(FlushEventsPeriodicallyAsync);
            }
        }
    }

    private async Task FlushEventsPeriodicallyAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(_options.EventSeriesInterval, _options.TimeProvider, stop).ConfigureAwait(false);
                await FlushEventsAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed; disposal writes what is still held.
        }
    }

    /// <summary>Disposal: held repeats are written if the server still answers within a moment.</summary>
    private async Task FlushEventsOnDisposeAsync()
    {
        if (_eventFlushing is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await FlushEventsAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterException or OperationCanceledException)
        {
            LogEventSeriesNotWritten(_logger, "*", "*", e.Message);
        }
    }

    /// <summary>The event a record becomes when it is the first of its series.</summary>
    private Corev1Event Draft(EventRecord record, DateTime now)
    {
        var involved = record.InvolvedObject;
        var ns = string.IsNullOrEmpty(involved.NamespaceProperty) ? DefaultNamespace : involved.NamespaceProperty;
        var component = string.IsNullOrEmpty(record.ReportingComponent) ? _options.DefaultReportingComponent : record.ReportingComponent;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { GenerateName = (string.IsNullOrEmpty(involved.Name) ? "event" : involved.Name) + ".", NamespaceProperty = ns },
            InvolvedObject = involved,
            Type = record.Type == EventType.Warning ? "Warning" : "Normal",
            Reason = record.Reason,
            Message = record.Message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
        };
    }

    // The message is not part of the key: a repeat with other words is the same series, as Kubernetes keys them.
    private static string SeriesKey(Corev1Event e) =>
        string.Join('\u001f', e.Metadata.NamespaceProperty, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid, e.Type, e.Reason, e.ReportingComponent);

    private static Corev1Event AsStored(Corev1Event created, EventCorrelator.Series series)
    {
        created.Metadata.Name = series.Name;
        created.Metadata.GenerateName = null;
        created.Count = series.Count;
        created.Message = series.Message;
        return created;
    }

    // Whole seconds, as metav1.Time is written.
    private DateTime Now() => WholeSeconds(_options.TimeProvider.GetUtcNow());

    private static DateTime WholeSeconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    [LoggerMessage(EventId = 110, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Event {Namespace}/{Name}: its series' latest count was not written ({Error}); the next write carries it")]
    private static partial void LogEventSeriesNotWritten(Microsoft.Extensions.Logging.ILogger logger, string @namespace, string name, string error);
}
