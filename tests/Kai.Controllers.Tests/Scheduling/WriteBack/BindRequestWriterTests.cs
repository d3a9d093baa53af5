using Kai.Cluster.Crds;
using Kai.Cluster.Port;
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

    [Fact]
    public async Task WriteManyAsync_ForABatch_CreatesTheSameRequestsAsOneByOne()
    {
        var (bulk, _) = await WriteBackCluster.CreateAsync();
        var (single, _) = await WriteBackCluster.CreateAsync();
        SchedulingDecision[] decisions =
        [
            WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(1000)),
            WriteBackCluster.Decision(DecisionKind.Bind, "p1", new GpuGrant(GpuGrantKind.Fraction, 1, 250, ["group-a"])),
            WriteBackCluster.Decision(DecisionKind.Bind, "p2", GpuGrant.None),
        ];

        await new BindRequestWriter(bulk).WriteManyAsync(decisions, _ => null, (d, e) => Assert.Fail($"{d.Pod}: {e.Message}"), default);
        foreach (var decision in decisions)
        {
            await new BindRequestWriter(single).WriteAsync(decision, claims: null, default);
        }

        Assert.Equal(Describe(await single.ListAsync<BindRequest>()), Describe(await bulk.ListAsync<BindRequest>()));
    }

    [Fact]
    public async Task WriteManyAsync_WhenARequestFromAnEarlierAttemptExists_ReplacesItAndWritesTheOthers()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var writer = new BindRequestWriter(cluster);
        await writer.WriteAsync(WriteBackCluster.Decision(DecisionKind.Bind, "p1", GpuGrant.Whole(1000)), claims: null, default);
        var refused = new List<string>();

        await writer.WriteManyAsync(
            [WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(1000)), WriteBackCluster.Decision(DecisionKind.Bind, "p1", GpuGrant.Whole(3000))],
            _ => null,
            (d, _) => refused.Add(d.Pod.Name),
            default);

        var requests = (await cluster.ListAsync<BindRequest>()).Items.OrderBy(r => r.Metadata.Name).ToList();
        Assert.Empty(refused);
        Assert.Equal([("p0", 1), ("p1", 3)], requests.Select(r => (r.Metadata.Name, r.Spec.ReceivedGPU!.Count)));
    }

    [Fact]
    public async Task WriteManyAsync_WhenTheClusterRefusesOne_ReportsItAndWritesTheOthers()
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        var refused = new List<(string Pod, ClusterErrorReason Reason)>();
        var invalid = WriteBackCluster.Decision(DecisionKind.Bind, "p1", GpuGrant.Whole(1000)) with { Pod = new("team-a", string.Empty) };

        await new BindRequestWriter(cluster).WriteManyAsync(
            [WriteBackCluster.Decision(DecisionKind.Bind, "p0", GpuGrant.Whole(1000)), invalid],
            _ => null,
            (d, e) => refused.Add((d.Pod.Name, e.Reason)),
            default);

        Assert.Equal([(string.Empty, ClusterErrorReason.Invalid)], refused);
        Assert.Equal(["p0"], (await cluster.ListAsync<BindRequest>()).Items.Select(r => r.Metadata.Name));
    }

    private static List<string> Describe(ClusterList<BindRequest> requests) =>
        [.. requests.Items.Select(r => $"{r.Metadata.Name} uid={r.Metadata.Uid} rv={r.Metadata.ResourceVersion} node={r.Spec.SelectedNode} "
            + $"{r.Spec.ReceivedResourceType} {r.Spec.ReceivedGPU!.Count}x{r.Spec.ReceivedGPU.Portion} groups={string.Join(',', r.Spec.SelectedGPUGroups ?? [])} "
            + $"labels={string.Join(',', r.Metadata.Labels.Select(l => l.Key + "=" + l.Value))} owner={r.Metadata.OwnerReferences[0].Uid}")];
}
