using BenchmarkDotNet.Attributes;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Placement;

namespace Kai.Benchmarks;

/// <summary>
/// The node index's GPU binpack order during an allocate cycle on the empty cluster: nodes of 8 GPUs, one GPU
/// placed at a time on the first node with room (the walk's first candidate), each placement moving that node's
/// rank, until every GPU is taken — as the 5,000-node bench's 39,218 placements move nodes. <see cref="NodeOrder"/>
/// (buckets of nodes that rank alike) against the <c>SortedSet</c> it replaced. The allocation budget guards the
/// bucketed order: its buckets and arrays once, nothing per move.
/// </summary>
[MemoryDiagnoser]
public class NodeOrderBenchmarks
{
    private const long Gpus = 8000;
    private const long OneGpu = 1000;

    private static readonly NodeRank UpperBound = new(long.MaxValue, 1, int.MaxValue);

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [Benchmark]
    public int Bucketed()
    {
        var order = new NodeOrder(NodeRankComparer.For(PlacementStrategy.Binpack));
        for (var n = 0; n < Nodes; n++)
        {
            order.Add(new NodeRank(Gpus, Gpus, n));
        }

        var placed = 0;
        while (order.FirstBetween(new NodeRank(OneGpu, 1, int.MinValue), UpperBound) is { } first)
        {
            order.Move(first, first with { Free = first.Free - OneGpu });
            placed++;
        }

        return placed;
    }

    [Benchmark(Baseline = true)]
    public int SortedSet()
    {
        var order = new SortedSet<NodeRank>(NodeRankComparer.For(PlacementStrategy.Binpack));
        for (var n = 0; n < Nodes; n++)
        {
            order.Add(new NodeRank(Gpus, Gpus, n));
        }

        var placed = 0;
        while (true)
        {
            // As the old walk: a view's Count walks it, so an empty view shows as a Min below the bound.
            var first = order.GetViewBetween(new NodeRank(OneGpu, 1, int.MinValue), UpperBound).Min;
            if (first.Free < OneGpu)
            {
                break;
            }

            order.Remove(first);
            order.Add(first with { Free = first.Free - OneGpu });
            placed++;
        }

        return placed;
    }
}
