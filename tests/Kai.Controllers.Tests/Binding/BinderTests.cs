using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Binding;

public sealed class BinderTests
{
    [Fact]
    public async Task RunOnceAsync_WhenBindRequestsArrive_BindsTheirPods()
    {
        var cluster = new EmbeddedCluster(new FakeTimeProvider(TestCluster.Epoch), KaiKinds.CreateRegistry());
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        using var binder = await Binder.CreateAsync(cluster);
        await cluster.CreateAsync(Request("p0", "n0"));

        var bound = await binder.RunOnceAsync();

        Assert.Equal(1, bound);
        Assert.Equal("n0", (await cluster.GetAsync<V1Pod>("team-a", "p0"))!.Spec.NodeName);
        Assert.Equal(BindRequestStatus.PhaseSucceeded, (await cluster.GetAsync<BindRequest>("team-a", "p0"))!.Status?.Phase);
    }

    // Regression: requests read but not bound when a run was interrupted stayed in a field, so later updates of the
    // same requests were taken for already queued ones and never bound. The binder now keeps what it has not bound
    // (nothing read is lost) and a later version replaces the queued one.
    [Fact]
    public async Task RunOnceAsync_WhenAnEarlierRunWasInterrupted_BindsEveryRequestIncludingLaterUpdates()
    {
        var cluster = new EmbeddedCluster(new FakeTimeProvider(TestCluster.Epoch), KaiKinds.CreateRegistry());
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.CreateAsync(TestCluster.Pod("p1"));
        using var binder = await Binder.CreateAsync(cluster);
        await cluster.CreateAsync(Request("p0", "n0"));
        var second = await cluster.CreateAsync(Request("p1", "n0"));
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await binder.RunOnceAsync(cancelled.Token));
        }

        await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(second, m => m.Labels = new Dictionary<string, string> { ["retry"] = "1" }));
        var bound = await binder.RunOnceAsync();

        Assert.Equal(2, bound);
        Assert.Equal("n0", (await cluster.GetAsync<V1Pod>("team-a", "p0"))!.Spec.NodeName);
        Assert.Equal("n0", (await cluster.GetAsync<V1Pod>("team-a", "p1"))!.Spec.NodeName);
    }

    private static BindRequest Request(string pod, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "team-a" },
        Spec = new BindRequestSpec { PodName = pod, SelectedNode = node },
    };
}
