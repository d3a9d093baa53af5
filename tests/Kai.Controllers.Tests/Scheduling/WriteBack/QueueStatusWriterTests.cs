using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Queue = Kai.Cluster.Crds.Queue;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class QueueStatusWriterTests
{
    [Fact]
    public async Task WriteAsync_WritesAllocatedNonPreemptibleAndRequestedOnlyWhenTheyChanged()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        await cluster.CreateAsync(new Queue { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new QueueSpec() });
        var writer = new QueueStatusWriter(cluster);
        var figures = Figures(allocatedGpuMilli: 1500);

        await writer.WriteAsync(figures, default);
        var first = (await cluster.GetAsync<Queue>(null, "q"))!;
        await writer.WriteAsync(figures, default);
        var unchanged = (await cluster.GetAsync<Queue>(null, "q"))!;
        await writer.WriteAsync(Figures(allocatedGpuMilli: 2000), default);
        var changed = (await cluster.GetAsync<Queue>(null, "q"))!;

        Assert.Equal(("1500m", "2500m", "0"), (first.Status!.Allocated!["nvidia.com/gpu"].ToString(), first.Status.Allocated["cpu"].ToString(), first.Status.AllocatedNonPreemptible!["nvidia.com/gpu"].ToString()));
        Assert.Equal(first.Metadata.ResourceVersion, unchanged.Metadata.ResourceVersion);
        Assert.NotEqual(first.Metadata.ResourceVersion, changed.Metadata.ResourceVersion);
        Assert.Equal("2", changed.Status!.Allocated!["nvidia.com/gpu"].ToString());
    }

    private static QueueFigures Figures(long allocatedGpuMilli) => new(
        new QueueKey("q"),
        null,
        ResourceVector.Zero,
        new ResourceVector(2500, 0, allocatedGpuMilli, 0),
        ResourceVector.Zero,
        new ResourceVector(2500, 0, 4000, 0),
        new Kai.Scheduling.Model.Queue { Name = "q" });
}
