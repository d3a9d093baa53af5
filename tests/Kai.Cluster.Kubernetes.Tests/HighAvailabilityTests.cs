using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Controllers.Hosting;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// Two replicas of <c>kai run</c> (component hosts on their own KubernetesClient backends) with leader election
/// against one API server: the leader is stopped mid-run, the standby takes over, every pod is bound exactly once
/// and every bind request ends Succeeded.
/// </summary>
/// <remarks>
/// The handover under test is the graceful one: the stopping leader releases its leases and the standby takes them at
/// its next try. The lease duration and renew deadline are longer than the test may take (<see cref="LiveApi.Patience"/>),
/// so neither a lease running out nor a leader missing its renew deadline on a loaded machine can stand in for the
/// release: if the standby is active within the test's patience, the release did it. (Expiry and renew deadlines are
/// shown step by step on a fake clock in <see cref="LeaderElectorTests"/>.)
/// </remarks>
public sealed class HighAvailabilityTests
{
    private static readonly LeaderElectionOptions Election = new()
    {
        Namespace = "kai-scheduler",
        LeaseDuration = LiveApi.Patience * 4,
        RenewDeadline = LiveApi.Patience * 3,
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Replicas_WhenTheLeaderStopsMidRun_TheStandbyTakesOverAndBindsEveryPodExactlyOnce()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml"), TimeProvider.System, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        await using var backendB = KubernetesCluster.Connect(new KubernetesConnection { Server = api.Server.Address }, KaiKinds.CreateRegistry(), LiveApi.QuickRetries() with { RandomSeed = 2 });
        var a = ComponentHost.Start(api.Cluster, Options("replica-a"));
        await WaitAsync(() => a.States.Values.All(s => s == ComponentState.Active), ct);
        await using var b = ComponentHost.Start(backendB, Options("replica-b"));
        await WaitAsync(() => b.States.Values.All(s => s == ComponentState.Standby), ct);

        for (var i = 0; i < 20; i++)
        {
            await api.Server.Cluster.CreateAsync(Pods.Small($"first-{i}"), ct);
        }

        await WaitAsync(() => BoundCount(api) >= 5, ct);

        // Pods keep arriving while the leader stops.
        var arriving = Task.Run(
            async () =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await api.Server.Cluster.CreateAsync(Pods.Small($"second-{i}"), ct);
                    await Task.Yield();
                }
            },
            ct);
        await a.DisposeAsync();
        var released = api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<V1Lease>()).Items.Cast<V1Lease>().ToList();
        await WaitAsync(() => b.States.Values.All(s => s == ComponentState.Active), ct);
        await arriving;

        await WaitAsync(() => BoundCount(api) == 40 && AllRequestsSucceeded(api), ct);
        var pods = api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<V1Pod>()).Items.Cast<V1Pod>().ToList();
        var requests = api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<BindRequest>()).Items.Cast<BindRequest>().ToList();

        var leases = api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<V1Lease>()).Items.Cast<V1Lease>().ToList();
        Assert.Equal(b.States.Count, leases.Count);
        Assert.All(released, l => Assert.NotEqual("replica-a", l.Spec.HolderIdentity));
        Assert.All(leases, l => Assert.Equal(("replica-b", 1), (l.Spec.HolderIdentity, l.Spec.LeaseTransitions)));
        Assert.Equal(40, pods.Count(p => !string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.All(pods, p => Assert.Equal(1, api.Faults.Count("POST", $"/namespaces/default/pods/{p.Metadata.Name}/binding")));
        Assert.Equal(40, requests.Count);
        Assert.All(requests, r => Assert.Equal(pods.Single(p => p.Metadata.Name == r.Spec.PodName).Spec.NodeName, r.Spec.SelectedNode));
        Assert.All(requests, r => Assert.Equal("Succeeded", r.Status?.Phase));
    }

    private static ComponentHostOptions Options(string identity) => new()
    {
        LeaderElection = Election with { Identity = identity },
        SchedulePeriod = TimeSpan.FromMilliseconds(100),
        GroupPeriod = TimeSpan.FromMilliseconds(20),
        RestartDelay = TimeSpan.FromMilliseconds(50),
    };

    private static int BoundCount(LiveApi api) =>
        api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<V1Pod>()).Items.Cast<V1Pod>().Count(p => !string.IsNullOrEmpty(p.Spec.NodeName));

    private static bool AllRequestsSucceeded(LiveApi api) =>
        api.Server.Cluster.List(api.Server.Cluster.Kinds.Get<BindRequest>()).Items.Cast<BindRequest>().All(r => r.Status?.Phase == "Succeeded");

    private static async Task WaitAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(10, ct);
        }
    }
}
