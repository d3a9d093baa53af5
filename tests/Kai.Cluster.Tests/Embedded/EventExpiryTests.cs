using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>
/// Events expire an hour after their last occurrence, as the API server's event TTL has them, so a long run on a
/// churning cluster keeps about an hour of events instead of every event ever recorded.
/// </summary>
public sealed class EventExpiryTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task RecordEventAsync_ChurnForThreeHours_KeepsAboutTheLastHourOfEvents()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);

        // Every minute a pod arrives, is reported unschedulable, then scheduled, and finishes (is deleted).
        for (var i = 0; i < 180; i++)
        {
            var pod = await cluster.CreateAsync(TestCluster.Pod($"p{i}"));
            await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "0/4 nodes available");
            await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Normal, "Scheduled", $"bound p{i} to n0");
            await cluster.DeleteAsync<V1Pod>("team-a", $"p{i}", gracePeriodSeconds: 0);
            time.Advance(Minute);
        }

        var events = (await cluster.ListAsync<Corev1Event>()).Items;
        var oldest = TestCluster.Epoch.UtcDateTime.AddMinutes(180) - TimeSpan.FromHours(1);
        Assert.Equal(2 * 60, events.Count);
        Assert.All(events, e => Assert.True(e.LastTimestamp >= oldest, $"{e.Metadata.Name} last occurred at {e.LastTimestamp:O}"));
        Assert.Equal((events.Count, events.Count), cluster.EventBookkeeping);
    }

    [Fact]
    public async Task RecordEventAsync_WhenRepeated_ExpiresAnHourAfterItsLastOccurrence()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var other = await cluster.CreateAsync(TestCluster.Pod("p1"));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");
        time.Advance(TimeSpan.FromMinutes(50));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        time.Advance(TimeSpan.FromMinutes(50));
        await cluster.RecordEventAsync("kai-scheduler", other, EventType.Normal, "Scheduled", "bound");
        var afterOneHundredMinutes = (await cluster.ListAsync<Corev1Event>()).Items.Select(e => (e.InvolvedObject.Name, e.Count)).ToList();
        time.Advance(TimeSpan.FromMinutes(10));
        await cluster.RecordEventAsync("kai-scheduler", other, EventType.Normal, "Scheduled", "bound");
        var afterOneHundredTenMinutes = (await cluster.ListAsync<Corev1Event>()).Items.Select(e => (e.InvolvedObject.Name, e.Count)).ToList();

        Assert.Equal(new (string, int?)[] { ("p0", 2), ("p1", 1) }, afterOneHundredMinutes);
        Assert.Equal(new (string, int?)[] { ("p1", 2) }, afterOneHundredTenMinutes);
    }

    /// <summary>
    /// A repeated event is queued again by its new due time, not behind events queued after it: A (00:00, again at
    /// 00:01) and B (00:59) — A goes at 01:01, not when B is due at 01:59 (review finding: a first-in first-out queue
    /// kept A up to twice the time to live).
    /// </summary>
    [Fact]
    public async Task RecordEventAsync_ARepeatRequeuedBehindALaterEvent_StillExpiresAnHourAfterItsLastOccurrence()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        var a = await cluster.CreateAsync(TestCluster.Pod("a"));
        var b = await cluster.CreateAsync(TestCluster.Pod("b"));
        var c = await cluster.CreateAsync(TestCluster.Pod("c"));
        await cluster.RecordEventAsync("kai-scheduler", a, EventType.Warning, "Unschedulable", "no gpu");
        time.Advance(Minute);
        await cluster.RecordEventAsync("kai-scheduler", a, EventType.Warning, "Unschedulable", "no gpu");
        time.Advance(58 * Minute);
        await cluster.RecordEventAsync("kai-scheduler", b, EventType.Warning, "Unschedulable", "no gpu");
        time.Advance(Minute); // 01:00: A is taken, has occurred since, and is queued again for 01:01
        await cluster.RecordEventAsync("kai-scheduler", c, EventType.Normal, "Scheduled", "bound");
        time.Advance(2 * Minute); // 01:02
        await cluster.RecordEventAsync("kai-scheduler", c, EventType.Normal, "Scheduled", "bound");

        var names = (await cluster.ListAsync<Corev1Event>()).Items.Select(e => e.InvolvedObject.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["b", "c"], names);
    }

    /// <summary>Events an out-of-process recorder or kubectl creates as plain objects age as recorded ones do (review finding).</summary>
    [Fact]
    public async Task CreateAsync_OfPlainEvents_ExpiresThemAnHourAfterTheirLastOccurrence()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        await cluster.CreateAsync(PlainEvent("old", lastTimestamp: null));
        await cluster.CreateAsync(PlainEvent("recent", lastTimestamp: TestCluster.Epoch.UtcDateTime.AddMinutes(30)));
        time.Advance(TimeSpan.FromMinutes(61));

        await cluster.CreateAsync(PlainEvent("new", lastTimestamp: null));

        var names = (await cluster.ListAsync<Corev1Event>()).Items.Select(e => e.Metadata.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["new", "recent"], names);
        Assert.Equal(2, cluster.EventBookkeeping.Queued);
    }

    private static Corev1Event PlainEvent(string name, DateTime? lastTimestamp) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a" },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p0", NamespaceProperty = "team-a" },
        Reason = "Scheduled",
        Message = "bound",
        Type = "Normal",
        LastTimestamp = lastTimestamp,
    };

    [Fact]
    public async Task RecordEventAsync_WithATimeToLiveBeyondTheCalendar_KeepsEvents()
    {
        var cluster = TestCluster.Create(new FakeTimeProvider(TestCluster.Epoch), new EmbeddedClusterOptions { EventTimeToLive = TimeSpan.MaxValue });
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));

        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Normal, "Scheduled", "bound");

        Assert.Equal(2, (await cluster.ListAsync<Corev1Event>()).Items.Count);
    }

    [Fact]
    public async Task RecordEventAsync_WhenAnEventExpires_FeedsSeeItDeleted()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var expiring = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");
        using var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Corev1Event>()));
        TestCluster.Drain(feed);

        time.Advance(TimeSpan.FromHours(1));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Normal, "Scheduled", "bound");

        var changes = TestCluster.Drain(feed);
        Assert.Equal(new[] { (ChangeType.Deleted, expiring.Metadata.Name), (ChangeType.Added, "p0.2") }, changes.Select(c => (c.Type, c.Object.Metadata.Name)));
    }

    [Fact]
    public async Task RecordEventAsync_WithoutTimeToLive_KeepsEveryEvent()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time, new EmbeddedClusterOptions { EventTimeToLive = null });
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        time.Advance(TimeSpan.FromDays(2));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Normal, "Scheduled", "bound");

        Assert.Equal(2, (await cluster.ListAsync<Corev1Event>()).Items.Count);
        Assert.Equal((2, 0), cluster.EventBookkeeping);
    }

    [Fact]
    public async Task DeleteAsync_OfAnEvent_DropsItFromTheRepeatIndex()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var first = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        await cluster.DeleteAsync<Corev1Event>("team-a", first.Metadata.Name);
        var indexedAfterDelete = cluster.EventBookkeeping.Indexed;
        var again = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        Assert.Equal(0, indexedAfterDelete);
        Assert.Equal(1, again.Count);
        Assert.NotEqual(first.Metadata.Name, again.Metadata.Name);
    }

    [Fact]
    public void Constructor_WithTimeToLiveNotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestCluster.Create(options: new EmbeddedClusterOptions { EventTimeToLive = TimeSpan.Zero }));
    }
}
