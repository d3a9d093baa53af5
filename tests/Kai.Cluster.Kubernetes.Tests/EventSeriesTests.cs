using k8s.Models;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// Events through the Kubernetes backend as Kubernetes' recorders write them: one event per object, type, reason and
/// component, its count raised by repeats, and repeats within the series interval held for the series' next write.
/// </summary>
public sealed class EventSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RecordEventAsync_AfterNIdenticalFailures_StoresOneEventWithCountN()
    {
        var time = new FakeTimeProvider(Start);
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), time);
        var ct = LiveApi.Timeout();
        var pod = await api.Cluster.CreateAsync(Pods.Small("p"), ct);
        var requestsBefore = EventWrites(api);

        for (var i = 0; i < 5; i++)
        {
            await api.Cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", $"0/3 nodes fit (attempt {i})", ct);
        }

        Assert.Equal(1, EventWrites(api) - requestsBefore); // the create; the four repeats are held
        await api.Cluster.FlushEventsAsync(ct);

        var stored = Assert.Single(StoredEvents(api));
        Assert.Equal((5, "0/3 nodes fit (attempt 4)", "Unschedulable"), (stored.Count, stored.Message, stored.Reason));
        Assert.Equal(2, EventWrites(api) - requestsBefore); // and one patch for all of them
    }

    [Fact]
    public async Task RecordEventAsync_OfAnEventThatOccurredEarlier_IsStampedWhenItOccurredNotWhenWritten()
    {
        var time = new FakeTimeProvider(Start);
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), time);
        var ct = LiveApi.Timeout();
        var pod = await api.Cluster.CreateAsync(Pods.Small("p"), ct);
        var occurred = Start.AddMilliseconds(1_500);
        time.Advance(TimeSpan.FromMinutes(2)); // the binder's event lane wrote it later

        var record = new EventRecord(KubeObjects.ReferenceTo(pod, api.Cluster.Kinds), EventType.Normal, "Bound", "bound", "kai-scheduler") { OccurredAt = occurred };
        await api.Cluster.RecordEventAsync(record, ct);

        var stored = Assert.Single(StoredEvents(api));
        var expected = new DateTime(2026, 12, 6, 12, 0, 1, DateTimeKind.Utc); // whole seconds, as metav1.Time is written
        Assert.Equal((expected, expected), (stored.FirstTimestamp, stored.LastTimestamp));
    }

    [Fact]
    public async Task RecordEventAsync_WhenTheSeriesWasWrittenLongEnoughAgo_WritesTheRepeatAtOnce()
    {
        var time = new FakeTimeProvider(Start);
        var options = new KubernetesClusterOptions { TimeProvider = time, EventSeriesInterval = TimeSpan.FromSeconds(30) };
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), time, options);
        var ct = LiveApi.Timeout();
        var pod = await api.Cluster.CreateAsync(Pods.Small("p"), ct);

        await api.Cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "first", ct);
        time.Advance(TimeSpan.FromSeconds(31));
        var repeat = await api.Cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "second", ct);

        Assert.Equal((2, "second"), (repeat.Count, repeat.Message));
        var stored = Assert.Single(StoredEvents(api));
        Assert.Equal((2, "second"), (stored.Count, stored.Message));
    }

    [Fact]
    public async Task RecordEventAsync_WithAnotherReasonOrObject_StartsAnotherSeries()
    {
        var time = new FakeTimeProvider(Start);
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), time);
        var ct = LiveApi.Timeout();
        var p = await api.Cluster.CreateAsync(Pods.Small("p"), ct);
        var q = await api.Cluster.CreateAsync(Pods.Small("q"), ct);

        await api.Cluster.RecordEventAsync("kai-scheduler", p, EventType.Normal, "Scheduled", "assigned", ct);
        await api.Cluster.RecordEventAsync("kai-scheduler", p, EventType.Normal, "Bound", "bound", ct);
        await api.Cluster.RecordEventAsync("kai-scheduler", q, EventType.Normal, "Scheduled", "assigned", ct);
        await api.Cluster.FlushEventsAsync(ct);

        Assert.Equal(["p Bound 1", "p Scheduled 1", "q Scheduled 1"], StoredEvents(api).Select(e => $"{e.InvolvedObject.Name} {e.Reason} {e.Count}").Order());
    }

    [Fact]
    public async Task DisposeAsync_WithHeldRepeats_WritesThem()
    {
        var time = new FakeTimeProvider(Start);
        var api = await LiveApi.StartAsync(LiveApi.Load(), time);
        var ct = LiveApi.Timeout();
        var pod = await api.Cluster.CreateAsync(Pods.Small("p"), ct);
        await api.Cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "a", ct);
        await api.Cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "b", ct);

        await api.Cluster.DisposeAsync();

        var stored = Assert.Single(StoredEvents(api));
        Assert.Equal((2, "b"), (stored.Count, stored.Message));
        await api.Server.DisposeAsync();
    }

    private static List<Corev1Event> StoredEvents(LiveApi api) =>
        [.. api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<Corev1Event>()).Items.Cast<Corev1Event>()];

    private static long EventWrites(LiveApi api) =>
        api.Server.Api.Requests.Snapshot().Where(r => r.Key.EndsWith(" events", StringComparison.Ordinal)).Sum(r => r.Value);
}
