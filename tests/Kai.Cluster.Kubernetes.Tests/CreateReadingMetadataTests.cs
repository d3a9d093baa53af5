using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// A create whose answer is read for its metadata only (the through-API bench's load generator): the metadata is
/// the stored object's, and a kind the cluster caches is still read whole, so its cache reads its own write at once.
/// </summary>
public sealed class CreateReadingMetadataTests
{
    [Fact]
    public async Task CreateReadingMetadataAsync_OfAKindNotCached_ReturnsTheStoredObjectsMetadata()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), TimeProvider.System, http2: true);
        var ct = LiveApi.Timeout();

        var metadata = await api.Cluster.CreateReadingMetadataAsync(Pods.Small("p-0"), ct);

        var stored = (V1Pod)api.Server.Cluster.Get(api.Server.Cluster.Kinds.Get<V1Pod>(), "default", "p-0")!;
        Assert.Equal(KubernetesJson.Serialize(stored.Metadata), KubernetesJson.Serialize(metadata));
    }

    [Fact]
    public async Task CreateReadingMetadataAsync_OfACachedKind_IsReadBackAtOnce()
    {
        // The watch is cut, its reopening fails and its retry waits on a clock that does not move: only the answer can
        // tell the cache.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T08:00:00Z", CultureInfo.InvariantCulture));
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), time, LiveApi.QuickRetries(time), http2: true);
        var ct = LiveApi.Timeout();
        using var feed = await api.Cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), ct);
        api.Faults.FailNext("GET", "/api/v1/pods", 500, times: 1000, reason: "InternalError");
        api.Faults.CutWatches();

        var metadata = await api.Cluster.CreateReadingMetadataAsync(Pods.Small("p-1"), ct);

        var read = await api.Cluster.GetAsync<V1Pod>("default", "p-1", ct);
        Assert.Equal(metadata.ResourceVersion, read?.Metadata.ResourceVersion);
        Assert.Equal(metadata.Uid, read?.Metadata.Uid);
    }
}
