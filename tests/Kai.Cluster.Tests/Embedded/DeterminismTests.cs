using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Cluster_WhenSameOperationsReplayed_IsIdentical()
    {
        var first = await BuildAsync();
        var second = await BuildAsync();

        Assert.Equal(await DumpAsync(first), await DumpAsync(second));
    }

    [Fact]
    public async Task CreateAsync_WhenTimeAdvances_StampsFakeTimeTruncatedToSeconds()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        await cluster.CreateAsync(TestCluster.Pod("p0"));
        time.Advance(TimeSpan.FromMilliseconds(2_750));

        var later = await cluster.CreateAsync(TestCluster.Pod("p1"));

        Assert.Equal(TestCluster.Epoch.UtcDateTime.AddSeconds(2), later.Metadata.CreationTimestamp);
        Assert.Equal("00000000-0000-4000-8000-000000000002", later.Metadata.Uid);
    }

    private static async Task<EmbeddedCluster> BuildAsync()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(time);
        for (var i = 0; i < 5; i++)
        {
            var pod = TestCluster.Pod(name: "");
            pod.Metadata.GenerateName = "job-";
            var created = await cluster.CreateAsync(pod);
            await cluster.RecordEventAsync("kai-scheduler", created, EventType.Normal, "Created", "created");
            time.Advance(TimeSpan.FromSeconds(3));
        }

        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.BindPodAsync("team-a", "job-dbbbb", "n0");
        await cluster.DeleteAsync<V1Pod>("team-a", "job-cbbbb");
        return cluster;
    }

    private static async Task<string> DumpAsync(EmbeddedCluster cluster) =>
        KubernetesJson.Serialize(new object[]
        {
            (await cluster.ListAsync<V1Pod>()).Items,
            (await cluster.ListAsync<V1Node>()).Items,
            (await cluster.ListAsync<Corev1Event>()).Items,
        });
}
