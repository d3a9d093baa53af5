using System.Globalization;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Controllers.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>Leader election on a Lease, driven step by step on a fake clock.</summary>
public sealed class LeaderElectorTests
{
    private static readonly LeaderElectionOptions Options = new() { Namespace = "kai-scheduler" };

    [Fact]
    public async Task TryAcquireOrRenew_WhenNoLeaseExists_CreatesItWithKaiTimings()
    {
        var (cluster, time) = Cluster();
        var a = Elector(cluster, time, "a");

        var acquired = await a.TryAcquireOrRenewAsync(CancellationToken.None);
        var lease = await cluster.GetAsync<V1Lease>("kai-scheduler", "2ad35f9c.kai.scheduler");

        Assert.True(acquired);
        Assert.Equal("a", lease!.Spec.HolderIdentity);
        Assert.Equal(15, lease.Spec.LeaseDurationSeconds);
    }

    [Fact]
    public async Task TryAcquireOrRenew_WhileTheLeaderRenews_LeavesTheStandbyWaiting()
    {
        var (cluster, time) = Cluster();
        var a = Elector(cluster, time, "a");
        var b = Elector(cluster, time, "b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);

        var standby = new List<bool>();
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.True(await a.TryAcquireOrRenewAsync(CancellationToken.None));
            standby.Add(await b.TryAcquireOrRenewAsync(CancellationToken.None));
        }

        Assert.All(standby, Assert.False);
    }

    [Fact]
    public async Task TryAcquireOrRenew_WhenTheLeaderStopsRenewing_TheStandbyTakesOverOnceTheLeaseDurationHasPassed()
    {
        var (cluster, time) = Cluster();
        var a = Elector(cluster, time, "a");
        var b = Elector(cluster, time, "b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        time.Advance(TimeSpan.FromSeconds(14));
        var early = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var onTime = await b.TryAcquireOrRenewAsync(CancellationToken.None);
        var lease = await cluster.GetAsync<V1Lease>("kai-scheduler", "2ad35f9c.kai.scheduler");
        var formerLeader = await a.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.False(early);
        Assert.True(onTime);
        Assert.Equal("b", lease!.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.False(formerLeader);
    }

    [Fact]
    public async Task Release_WhenTheLeaderStops_LetsTheStandbyTakeOverAtItsNextTry()
    {
        var (cluster, time) = Cluster();
        var a = Elector(cluster, time, "a");
        var b = Elector(cluster, time, "b");
        await a.TryAcquireOrRenewAsync(CancellationToken.None);
        Assert.False(await b.TryAcquireOrRenewAsync(CancellationToken.None));

        await a.ReleaseAsync(CancellationToken.None);
        var taken = await b.TryAcquireOrRenewAsync(CancellationToken.None);

        Assert.True(taken);
    }

    [Fact]
    public async Task LeadershipTerm_WhenRenewalsFailForTheRenewDeadline_FiresLostBeforeTheLeaseExpires()
    {
        var (cluster, time) = Cluster();
        var a = Elector(cluster, time, "a");
        var term = await a.AcquireAsync(CancellationToken.None);
        await using var _ = term;

        // Someone else takes the lease over by force (as after a network partition): the next renewal sees it.
        var lease = await cluster.GetAsync<V1Lease>("kai-scheduler", "2ad35f9c.kai.scheduler");
        await cluster.ReplaceAsync(lease! with { Spec = lease.Spec with { HolderIdentity = "intruder", RenewTime = time.GetUtcNow().UtcDateTime } });
        var lost = new TaskCompletionSource();
        using var registration = term.Lost.Register(lost.SetResult);
        time.Advance(Options.RetryPeriod);
        await lost.Task.WaitAsync(Harness.LiveApi.Patience);

        Assert.True(term.Lost.IsCancellationRequested);
    }

    private static (EmbeddedCluster Cluster, FakeTimeProvider Time) Cluster()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T08:00:00Z", CultureInfo.InvariantCulture));
        return (new EmbeddedCluster(time, KaiKinds.CreateRegistry()), time);
    }

    private static LeaderElector Elector(EmbeddedCluster cluster, TimeProvider time, string identity) =>
        new(cluster, Components.LeaseNameOf(Component.Binder, "kai-scheduler", null), Options with { Identity = identity }, time, NullLogger.Instance);
}
