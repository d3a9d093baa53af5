using Kai.Cluster.Crds;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class BindRequestWriterTests
{
    [Theory]
    [InlineData(2000, "Regular", 2, "1.00")]
    [InlineData(500, "Fraction", 1, "0.50")]
    public async Task WriteAsync_ForABind_CreatesARequestForTheBinderWithTheNodeAndTheGpusReceived(long gpuMilli, string type, int count, string portion)
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();

        await new BindRequestWriter(cluster).WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", gpuMilli), default);

        var request = await cluster.GetAsync<BindRequest>("team-a", "p0");
        Assert.NotNull(request);
        Assert.Equal(("p0", "n0", type), (request.Spec.PodName, request.Spec.SelectedNode, request.Spec.ReceivedResourceType));
        Assert.Equal((count, portion), (request.Spec.ReceivedGPU!.Count, request.Spec.ReceivedGPU.Portion));
        Assert.Equal("n0", request.Metadata.Labels["selected-node"]);
        Assert.Equal(("Pod", "p0", "uid-p0"), (request.Metadata.OwnerReferences[0].Kind, request.Metadata.OwnerReferences[0].Name, request.Metadata.OwnerReferences[0].Uid));
    }

    [Fact]
    public async Task WriteAsync_WhenARequestFromAnEarlierAttemptExists_ReplacesItWithThisDecision()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var writer = new BindRequestWriter(cluster);
        await writer.WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", 1000), default);

        await writer.WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", 3000), default);

        var request = Assert.Single((await cluster.ListAsync<BindRequest>()).Items);
        Assert.Equal(3, request.Spec.ReceivedGPU!.Count);
    }
}
