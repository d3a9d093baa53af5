using BenchmarkDotNet.Attributes;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Simulation.Time;

namespace Kai.Benchmarks;

/// <summary>
/// The decision write-back's store operation: a cycle's bind requests (8 per node, as the 5,000-node bench binds
/// 39,218) created in the embedded cluster while two feeds watch it (the scheduler's cache and the binder), in one
/// batch (<see cref="EmbeddedCluster.CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/>), in one batch handed over
/// (<see cref="CreateOwnership.HandedOver"/>, as the write-back does) or one by one as before. The allocation budgets
/// guard the batch paths: per request, the stored copy and its metadata (not when handed over), the uid and resource
/// version, the owner index entry and one change per feed — nothing per batch that grows with the cluster.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class WriteBackBenchmarks
{
    private const int RequestsPerNode = 8;

    private EmbeddedCluster _cluster = null!;
    private IChangeFeed[] _feeds = [];
    private BindRequest[] _requests = [];

    [ParamsSource(typeof(Workload), nameof(Workload.Nodes))]
    public int Nodes { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _cluster = new EmbeddedCluster(new SimulatedClock(Workload.Now), KaiKinds.CreateRegistry());
        _feeds =
        [
            _cluster.SubscribeAsync(new ChangeFeedOptions()).AsTask().GetAwaiter().GetResult(),
            _cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<BindRequest>())).AsTask().GetAwaiter().GetResult(),
        ];
        _requests = [.. Enumerable.Range(0, RequestsPerNode * Nodes).Select(Request)];
    }

    [IterationCleanup]
    public void Cleanup()
    {
        foreach (var feed in _feeds)
        {
            feed.Dispose();
        }
    }

    /// <summary>Every request in one batch: one lock, one publication to the feeds.</summary>
    [Benchmark]
    public int CreateMany() => _cluster.CreateManyAsync(_requests).AsTask().GetAwaiter().GetResult().Count;

    /// <summary>Every request in one batch, handed over (what the write-back does): stored as they are, without a copy of each and of its metadata.</summary>
    [Benchmark]
    public int CreateManyHandedOver() => _cluster.CreateManyAsync(_requests, CreateOwnership.HandedOver).AsTask().GetAwaiter().GetResult().Count;

    /// <summary>The same requests one create at a time (what the write-back did before).</summary>
    [Benchmark(Baseline = true)]
    public int CreateOneByOne()
    {
        foreach (var request in _requests)
        {
            _cluster.CreateAsync(request).AsTask().GetAwaiter().GetResult();
        }

        return _requests.Length;
    }

    private static BindRequest Request(int i)
    {
        var pod = $"pod-{i:D6}";
        var request = new BindRequest();
        request.Metadata.Name = pod;
        request.Metadata.NamespaceProperty = "ns-00";
        request.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod, Uid = $"uid-{i:D6}" }];
        request.Spec.PodName = pod;
        request.Spec.SelectedNode = $"node-{i / RequestsPerNode:D5}";
        request.Spec.ReceivedResourceType = "Regular";
        request.Spec.ReceivedGPU = new ReceivedGpu { Count = 1, Portion = "1.00" };
        return request;
    }
}
