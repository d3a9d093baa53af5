using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// The backend and the binder when the API server misbehaves: watches cut, 410 Gone, 409 on a write, the server gone
/// for a while, a bind that keeps failing. Nothing is lost, nothing is done twice, work resumes.
/// </summary>
public sealed class FaultTests
{
    private static readonly string[] Queues = ["tests/kai-examples/docs/quickstart/default-queues.yaml"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feed_WhenTheWatchIsCut_ReconnectsFromItsLastVersionAndMissesNothing(bool http2)
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), TimeProvider.System, LiveApi.QuickRetries(), http2: http2);
        var ct = LiveApi.Timeout();
        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), ct);
        await CreatePodsAsync(api, "before", 5, ct);
        await ReceiveAsync(feed, 5, ct);

        api.Faults.CutWatches();
        await CreatePodsAsync(api, "after", 5, ct);
        var after = await ReceiveAsync(feed, 5, ct);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Added after-{i}"), after);
        Assert.True(api.Cluster.StatisticsOf(KindKey.Of<V1Pod>())!.Watches >= 2);
    }

    [Fact]
    public async Task Feed_WhenTheWatchGets410_RelistsAndReportsWhatChangedMeanwhile()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), TimeProvider.System, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), ct);
        await CreatePodsAsync(api, "old", 2, ct);
        await ReceiveAsync(feed, 2, ct);

        // While the server is unreachable, one pod goes and another comes; the next watch is refused with 410 Gone.
        api.Faults.Unavailable = true;
        await api.Server.Cluster.DeleteAsync<V1Pod>("default", "old-0", 0, ct);
        await api.Server.Cluster.CreateAsync(Pod("new-0"), ct);
        api.Faults.FailNext("GET", "watch=true", 410, reason: "Expired");
        api.Faults.Unavailable = false;
        var changes = await ReceiveAsync(feed, 2, ct);

        Assert.Equal(["Added new-0", "Deleted old-0"], changes.Order());
        var statistics = api.Cluster.StatisticsOf(KindKey.Of<V1Pod>())!;
        Assert.True(statistics.Expired >= 1);
        Assert.True(statistics.Lists >= 2);
    }

    [Fact]
    public async Task Feed_WhenTheServerNoLongerHasTheVersion_GetsA410InTheStreamAndRelists()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), TimeProvider.System, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Queue>()), ct);
        await ReceiveAsync(feed, 2, ct);

        // More writes than the server keeps in its history happen while the watch is down: resuming is impossible.
        api.Faults.Unavailable = true;
        var store = api.Server.Cluster;
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(new Queue { Metadata = new() { Name = $"q{i}" }, Spec = new() { ParentQueue = "default-parent-queue", Resources = new() } }, ct);
        }

        api.Faults.ExpireNextWatches(1);
        api.Faults.Unavailable = false;
        var changes = await ReceiveAsync(feed, 5, ct);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Added q{i}"), changes.Order());
        Assert.True(api.Cluster.StatisticsOf(KindKey.Of<Queue>())!.Expired >= 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feed_WhenTheServerIsGoneForAWhile_BacksOffAndResumesWithoutLoss(bool http2)
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), TimeProvider.System, LiveApi.QuickRetries(), http2: http2);
        var ct = LiveApi.Timeout();
        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), ct);

        api.Faults.Unavailable = true;
        await CreatePodsAsync(api, "meanwhile", 3, ct);
        var statistics = api.Cluster.StatisticsOf(KindKey.Of<V1Pod>())!;
        while (statistics.Broken < 3)
        {
            await Task.Delay(5, ct);
        }

        var create = api.Cluster.CreateAsync(Pod("refused"), ct).AsTask();
        var refused = await Assert.ThrowsAsync<ClusterException>(() => create);
        api.Faults.Unavailable = false;
        var changes = await ReceiveAsync(feed, 3, ct);

        Assert.Equal(ClusterErrorReason.Unavailable, refused.Reason);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"Added meanwhile-{i}"), changes);
    }

    [Fact]
    public async Task Binder_WhenItsStatusWriteMeetsA409_WritesAgainOnTheFreshRequest()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), TimeProvider.System, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        await CreatePodsAsync(api, "p", 1, ct);
        await api.Server.Cluster.CreateAsync(BindRequestFor("p-0", "node-1"), ct);
        using var binder = await Binder.CreateAsync(api.Cluster, ct);
        api.Faults.FailNext("PUT", "/bindrequests/p-0/status", 409, reason: "Conflict");

        var bound = await BindAllAsync(binder, 1, ct);
        var request = await api.Server.Cluster.GetAsync<BindRequest>("default", "p-0", ct);
        var pod = await api.Server.Cluster.GetAsync<V1Pod>("default", "p-0", ct);

        Assert.Equal(1, bound);
        Assert.Equal("Succeeded", request!.Status?.Phase);
        Assert.Equal("node-1", pod!.Spec.NodeName);
        Assert.Equal(1, api.Faults.Count("POST", "/pods/p-0/binding"));
        Assert.Equal(2, api.Faults.Count("PUT", "/bindrequests/p-0/status"));
    }

    [Fact]
    public async Task Binder_WhenOneBindKeepsFailing_BindsTheOthersAndRetriesWithExponentialBackoffUpToTheLimit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T08:00:00Z", CultureInfo.InvariantCulture));
        await using var api = await LiveApi.StartAsync(LiveApi.Load(Queues), time, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        await CreatePodsAsync(api, "p", 4, ct);
        var failing = BindRequestFor("p-0", "node-1");
        failing.Spec.BackoffLimit = 3;
        await api.Server.Cluster.CreateAsync(failing, ct);
        for (var i = 1; i < 4; i++)
        {
            await api.Server.Cluster.CreateAsync(BindRequestFor($"p-{i}", "node-1"), ct);
        }

        api.Faults.FailNext("POST", "/pods/p-0/binding", 500, times: 100, reason: "InternalError");
        using var binder = await Binder.CreateAsync(api.Cluster, time, BinderOptions.Default, ct);

        var boundFirst = await BindAllAsync(binder, 3, ct);
        var attempts = new List<int> { api.Faults.Count("POST", "/pods/p-0/binding") };
        foreach (var seconds in new[] { 1, 2, 4 })
        {
            time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            await api.SettleAsync(ct);
            await binder.RunOnceAsync(ct);
            var early = api.Faults.Count("POST", "/pods/p-0/binding");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await binder.RunOnceAsync(ct);
            attempts.Add(api.Faults.Count("POST", "/pods/p-0/binding"));
            Assert.Equal(attempts[^2], early);
        }

        var request = await api.Server.Cluster.GetAsync<BindRequest>("default", "p-0", ct);
        var others = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => api.Server.Cluster.GetAsync<V1Pod>("default", $"p-{i}", ct).AsTask()));

        Assert.Equal(3, boundFirst);
        Assert.All(others, p => Assert.Equal("node-1", p!.Spec.NodeName));
        Assert.Equal([1, 2, 3, 4], attempts);
        Assert.Equal("Failed", request!.Status?.Phase);
        Assert.Equal(4, request.Status?.FailedAttempts);
        Assert.Equal(0, binder.PendingCount);
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { SchedulerName = "kai-scheduler", Containers = [new V1Container { Name = "c", Image = "i" }] },
    };

    private static BindRequest BindRequestFor(string pod, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "default" },
        Spec = new BindRequestSpec { PodName = pod, SelectedNode = node, ReceivedResourceType = "Regular" },
    };

    private static async Task CreatePodsAsync(LiveApi api, string prefix, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await api.Server.Cluster.CreateAsync(Pod($"{prefix}-{i}"), ct);
        }
    }

    private static async Task<List<string>> ReceiveAsync(IChangeFeed feed, int count, CancellationToken ct)
    {
        var changes = new List<string>();
        while (changes.Count < count)
        {
            var change = await feed.Changes.ReadAsync(ct);
            changes.Add($"{change.Type} {change.Object.Metadata.Name}");
        }

        return changes;
    }

    /// <summary>Runs the binder as it arrives until it has bound <paramref name="expected"/> pods.</summary>
    private static async Task<int> BindAllAsync(Binder binder, int expected, CancellationToken ct)
    {
        var bound = 0;
        while (bound < expected)
        {
            await binder.WaitForWorkAsync(ct);
            bound += await binder.RunOnceAsync(ct);
        }

        return bound;
    }
}
