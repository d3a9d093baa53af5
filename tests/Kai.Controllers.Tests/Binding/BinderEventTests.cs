using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Controllers.Binding;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Binding;

/// <summary>
/// The binder's events trail its binds (<see cref="BinderEventLane"/>): binding never waits for them, they are all
/// written in order, a flush or disposal waits for them, and on the embedded cluster they are written at once.
/// Every check is on a task's state or the store, never on the clock.
/// </summary>
public sealed class BinderEventTests
{
    [Fact]
    public async Task RunOnceAsync_WhileTheEventsOfEarlierRoundsAreHeld_BindsTheNextRounds()
    {
        var (store, cluster) = await WorldAsync(open: false);
        using var binder = await Binder.CreateAsync(cluster);

        await store.CreateAsync(Request("p0"));
        var first = binder.RunOnceAsync();
        await store.CreateAsync(Request("p1"));
        Assert.True(first.IsCompleted);
        var second = binder.RunOnceAsync();

        Assert.True(second.IsCompleted);
        Assert.Equal(1, await second);
        Assert.Equal("n0", (await store.GetAsync<V1Pod>("team-a", "p1"))!.Spec.NodeName);
        Assert.Empty(cluster.Written);
        Assert.Empty((await store.ListAsync<Corev1Event>()).Items);
    }

    [Fact]
    public async Task FlushEventsAsync_OnceTheHeldEventsAreReleased_CompletesWithEveryEventWrittenInOrder()
    {
        var (store, cluster) = await WorldAsync(open: false);

        // One writer: in order means written in order (with more, started in order).
        using var binder = await Binder.CreateAsync(cluster, TimeProvider.System, BinderOptions.Default with { EventWriters = 1 });
        foreach (var pod in new[] { "p0", "p1", "p2" })
        {
            await store.CreateAsync(Request(pod));
            await binder.RunOnceAsync();
        }

        var flushing = binder.FlushEventsAsync();
        Assert.False(flushing.IsCompleted);
        cluster.Open();
        await flushing;

        Assert.Equal(["Scheduled p0", "Bound p0", "Scheduled p1", "Bound p1", "Scheduled p2", "Bound p2"], cluster.Written);
        Assert.Equal(6, (await store.ListAsync<Corev1Event>()).Items.Count);
    }

    [Fact]
    public async Task DisposeAsync_WhileEventsAreHeld_WaitsUntilTheyAreWritten()
    {
        var (store, cluster) = await WorldAsync(open: false);
        var binder = await Binder.CreateAsync(cluster);
        await store.CreateAsync(Request("p0"));
        await binder.RunOnceAsync();

        var disposing = binder.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        cluster.Open();
        await disposing;

        Assert.Equal(["Scheduled p0", "Bound p0"], cluster.Written);
    }

    [Fact]
    public async Task RunOnceAsync_WhenEventWritesAreRefused_BindsAndWritesTheOtherEvents()
    {
        var (store, cluster) = await WorldAsync(open: true);
        cluster.RefusedReasons.Add("Scheduled");
        using var binder = await Binder.CreateAsync(cluster);

        await store.CreateAsync(Request("p0"));
        Assert.Equal(1, await binder.RunOnceAsync());
        await store.CreateAsync(Request("p1"));
        Assert.Equal(1, await binder.RunOnceAsync());

        Assert.True(binder.FlushEventsAsync().IsCompleted);
        Assert.Equal(["Bound p0", "Bound p1"], cluster.Written);
        Assert.Equal("n0", (await store.GetAsync<V1Pod>("team-a", "p1"))!.Spec.NodeName);
    }

    // Determinism: on a cluster whose writes complete at once, a round's events are in the store when the round
    // returns, before anything else writes, as they were before the binder had an event lane.
    [Fact]
    public async Task RunOnceAsync_OnTheEmbeddedCluster_HasWrittenTheRoundsEventsWhenItReturns()
    {
        var (store, _) = await WorldAsync(open: true);
        using var binder = await Binder.CreateAsync(store);
        await store.CreateAsync(Request("p0"));
        await store.CreateAsync(Request("p1"));

        await binder.RunOnceAsync();

        var events = (await store.ListAsync<Corev1Event>()).Items.OrderBy(e => long.Parse(e.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["Scheduled p0", "Bound p0", "Scheduled p1", "Bound p1"], events.Select(e => $"{e.Reason} {e.InvolvedObject.Name}"));
    }

    private static async Task<(EmbeddedCluster Store, GatedEventsCluster Cluster)> WorldAsync(bool open)
    {
        var store = new EmbeddedCluster(new FakeTimeProvider(TestCluster.Epoch), KaiKinds.CreateRegistry());
        await store.CreateAsync(TestCluster.Node("n0"));
        foreach (var pod in new[] { "p0", "p1", "p2" })
        {
            await store.CreateAsync(TestCluster.Pod(pod));
        }

        return (store, new GatedEventsCluster(store, open));
    }

    private static BindRequest Request(string pod) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "team-a" },
        Spec = new BindRequestSpec { PodName = pod, SelectedNode = "n0" },
    };
}
