using k8s.Models;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

public sealed class EventTests
{
    [Fact]
    public async Task RecordEventAsync_WhenNew_StoresListableEvent()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));

        var recorded = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "0/4 nodes available");

        var stored = Assert.Single((await cluster.ListAsync<Corev1Event>()).Items);
        Assert.Same(recorded, stored);
        Assert.Equal(("team-a", "Pod", "p0", pod.Metadata.Uid), (stored.Metadata.NamespaceProperty, stored.InvolvedObject.Kind, stored.InvolvedObject.Name, stored.InvolvedObject.Uid));
        Assert.Equal(("Warning", "Unschedulable", "0/4 nodes available", 1), (stored.Type, stored.Reason, stored.Message, stored.Count));
        Assert.Equal("p0.1", stored.Metadata.Name);
        Assert.Equal(TestCluster.Epoch.UtcDateTime, stored.FirstTimestamp);
    }

    [Fact]
    public async Task RecordEventAsync_WhenRepeated_IncrementsCount()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");
        time.Advance(TimeSpan.FromSeconds(10));

        var repeated = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        Assert.Same(repeated, Assert.Single((await cluster.ListAsync<Corev1Event>()).Items));
        Assert.Equal(2, repeated.Count);
        Assert.Equal(TestCluster.Epoch.UtcDateTime, repeated.FirstTimestamp);
        Assert.Equal(TestCluster.Epoch.UtcDateTime.AddSeconds(10), repeated.LastTimestamp);
    }

    [Fact]
    public async Task RecordEventAsync_WhenReasonDiffers_CreatesSeparateEvent()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Normal, "Scheduled", "bound to n0");

        Assert.Equal(2, (await cluster.ListAsync<Corev1Event>()).Items.Count);
    }

    [Fact]
    public async Task RecordEventAsync_WhenInvolvedObjectClusterScoped_UsesDefaultNamespace()
    {
        var cluster = TestCluster.Create();
        var node = await cluster.CreateAsync(TestCluster.Node("n0"));

        var recorded = await cluster.RecordEventAsync("kai-scheduler", node, EventType.Normal, "Ready", "node is ready");

        Assert.Equal("default", recorded.Metadata.NamespaceProperty);
        Assert.Equal("Node", recorded.InvolvedObject.Kind);
    }
}
