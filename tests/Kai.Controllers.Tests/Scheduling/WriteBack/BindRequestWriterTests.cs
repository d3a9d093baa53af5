using Kai.Cluster.Crds;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Decisions;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class BindRequestWriterTests
{
    [Fact]
    public async Task WriteAsync_ForAWholeGpuBind_CreatesARequestForTheBinderWithTheNodeAndTheGpusReceived()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();

        await new BindRequestWriter(cluster).WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(2000)), claims: null, default);

        var request = await cluster.GetAsync<BindRequest>("team-a", "p0");
        Assert.NotNull(request);
        Assert.Equal(("p0", "n0", "Regular"), (request.Spec.PodName, request.Spec.SelectedNode, request.Spec.ReceivedResourceType));
        Assert.Equal((2, "1.00"), (request.Spec.ReceivedGPU!.Count, request.Spec.ReceivedGPU.Portion));
        Assert.Null(request.Spec.SelectedGPUGroups);
        Assert.Equal("n0", request.Metadata.Labels["selected-node"]);
        Assert.Equal(("Pod", "p0", "uid-p0"), (request.Metadata.OwnerReferences[0].Kind, request.Metadata.OwnerReferences[0].Name, request.Metadata.OwnerReferences[0].Uid));
    }

    [Fact]
    public async Task WriteAsync_ForAFractionBind_NamesTheShareAndTheGpuGroups()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var grant = new GpuGrant(GpuGrantKind.Fraction, 1, 500, ["group-a"]);

        await new BindRequestWriter(cluster).WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", grant), claims: null, default);

        var request = await cluster.GetAsync<BindRequest>("team-a", "p0");
        Assert.NotNull(request);
        Assert.Equal(("Fraction", 1, "0.50"), (request.Spec.ReceivedResourceType, request.Spec.ReceivedGPU!.Count, request.Spec.ReceivedGPU.Portion));
        Assert.Equal(["group-a"], request.Spec.SelectedGPUGroups!);
    }

    [Fact]
    public async Task WriteAsync_WhenARequestFromAnEarlierAttemptExists_ReplacesItWithThisDecision()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var writer = new BindRequestWriter(cluster);
        await writer.WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(1000)), claims: null, default);

        await writer.WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(3000)), claims: null, default);

        var request = Assert.Single((await cluster.ListAsync<BindRequest>()).Items);
        Assert.Equal(3, request.Spec.ReceivedGPU!.Count);
    }
}
