using Kai.Cli.Benchmarks;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Scheduling.Configuration;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary><c>kai bench --through-api</c> on a small generated cluster: every figure it reports is measured, none made up.</summary>
public sealed class ThroughApiBenchmarkTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_OnASmallCluster_CreatesEveryPodAndBindsThemThroughTheApi(bool http2)
    {
        var settings = new ThroughApiSettings(Nodes: 10, PendingPods: 60, Seed: 3, SchedulerConfiguration.Default, TimeSpan.FromMilliseconds(100), Clients: 4) { Http2 = http2 };

        var result = await ThroughApiBenchmark.RunAsync(settings, LiveApi.Timeout());

        Assert.Equal(60, result.PodsCreated);
        Assert.InRange(result.PodsBound, 1, 60);
        Assert.NotEmpty(result.Cycles);
        Assert.Contains(result.Cycles, c => c.Binds > 0);
        Assert.True(result.LatencyMedian <= result.LatencyP99);
        Assert.True(result.ProcessorTime > TimeSpan.Zero);
        Assert.True(result.PodsBoundPerSecond > 0);
        Assert.True(result.RequestCount >= result.PodsBound, "every bound pod costs at least its binding request");
        Assert.True(result.Counters.AllocatedBytes > 0, "serving and scheduling allocate: the window's allocation is read from the runtime");
        Assert.True(result.Counters.Gen0 >= result.Counters.Gen1 && result.Counters.Gen1 >= result.Counters.Gen2 && result.Counters.Gen2 >= 0);
    }
}
