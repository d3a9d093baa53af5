using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Controllers.Binding;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Binding;

/// <summary>KAI's binder hand-shake for pods that share GPUs: reservation pods, group labels, received resource type.</summary>
public sealed class GpuSharingHandshakeTests
{
    [Fact]
    public async Task RunOnceAsync_WhenASharerIsBound_ItsGroupGetsAReservationPodAndThePodItsLabels()
    {
        var (cluster, binder) = await StartAsync();
        await cluster.CreateAsync(FractionRequest("p0", "n0", "0a1b2c3d-group"));

        await binder.RunOnceAsync();

        var pod = (await cluster.GetAsync<V1Pod>("team-a", "p0"))!;
        Assert.Equal("0a1b2c3d-group", pod.Metadata.Labels["runai-gpu-group"]);
        Assert.Equal("Fraction", pod.Metadata.Annotations["received-resource-type"]);
        var reservations = (await cluster.ListAsync<V1Pod>()).Items.Where(p => p.Metadata.NamespaceProperty == "kai-resource-reservation").ToList();
        var reservation = Assert.Single(reservations);
        Assert.Equal("n0", reservation.Spec.NodeName);
        Assert.Equal("0a1b2c3d-group", reservation.Metadata.Labels["runai-gpu-group"]);
        Assert.Equal("kai-resource-reservation", reservation.Metadata.Labels["app"]);
        binder.Dispose();
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheLastPodOfAGroupIsGone_ItsReservationPodGoesToo()
    {
        var (cluster, binder) = await StartAsync();
        await cluster.CreateAsync(TestCluster.Pod("p1"));
        await cluster.CreateAsync(FractionRequest("p0", "n0", "g-shared"));
        await cluster.CreateAsync(FractionRequest("p1", "n0", "g-shared"));
        await binder.RunOnceAsync();

        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);
        await binder.RunOnceAsync();
        var whileShared = (await cluster.ListAsync<V1Pod>()).Items.Count(p => p.Metadata.NamespaceProperty == "kai-resource-reservation");
        await cluster.DeleteAsync<V1Pod>("team-a", "p1", gracePeriodSeconds: 0);
        await binder.RunOnceAsync();
        var afterLast = (await cluster.ListAsync<V1Pod>()).Items.Count(p => p.Metadata.NamespaceProperty == "kai-resource-reservation");

        Assert.Equal(1, whileShared);
        Assert.Equal(0, afterLast);
        binder.Dispose();
    }

    private static async Task<(EmbeddedCluster Cluster, Binder Binder)> StartAsync()
    {
        var cluster = new EmbeddedCluster(new FakeTimeProvider(TestCluster.Epoch), KaiKinds.CreateRegistry());
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        return (cluster, await Binder.CreateAsync(cluster));
    }

    private static BindRequest FractionRequest(string pod, string node, string group) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = "team-a" },
        Spec = new BindRequestSpec
        {
            PodName = pod,
            SelectedNode = node,
            ReceivedResourceType = "Fraction",
            SelectedGPUGroups = [group],
            ReceivedGPU = new ReceivedGpu { Count = 1, Portion = "0.50" },
        },
    };
}
