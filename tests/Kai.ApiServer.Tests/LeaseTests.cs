using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Kai.ApiServer.Tests;

public sealed class LeaseTests
{
    [Fact]
    public async Task LeaderElector_AgainstTheServer_AcquiresTheLeaseAndRenewsIt()
    {
        await using var server = await TestServer.StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new LeaderElectionConfig(new LeaseLock(server.Client, "kube-system", "kai-scheduler", "replica-1"))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () => started.TrySetResult();
        using var stop = new CancellationTokenSource();
        var run = elector.RunUntilLeadershipLostAsync(stop.Token);

        await started.Task.WaitAsync(TestServer.Patience);
        var acquired = await server.Client.CoordinationV1.ReadNamespacedLeaseAsync("kai-scheduler", "kube-system");
        await using var watch = WatchRecorder<V1Lease>.Start((onError, ct) =>
            server.Client.CoordinationV1.WatchListNamespacedLeaseAsync("kube-system", resourceVersion: acquired.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));
        var renewed = await watch.NextAsync();
        await stop.CancelAsync();
        await Task.WhenAny(run, Task.Delay(TestServer.Patience));

        Assert.Equal("replica-1", acquired.Spec.HolderIdentity);
        Assert.Equal(WatchEventType.Modified, renewed.Type);
        Assert.True(renewed.Object.Spec.RenewTime >= acquired.Spec.RenewTime);
    }
}
