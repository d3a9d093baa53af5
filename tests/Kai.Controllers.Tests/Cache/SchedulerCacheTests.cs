using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Cache;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Tests.Cache;

/// <summary>The scheduler's cache kept from the change feed: what it holds after changes, issues per object, reuse.</summary>
public sealed class SchedulerCacheTests
{
    [Fact]
    public async Task Sync_AfterCreatesUpdatesAndDeletes_HoldsWhatTheClusterHolds()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.CreateAsync(TestCluster.Node("n1"));
        await cluster.CreateAsync(TestCluster.KaiPod("p0"));
        await cluster.CreateAsync(TestCluster.KaiPod("p1"));

        var applied = cache.Sync();
        var before = State(cache);
        await cluster.DeleteAsync<V1Node>(null, "n1");
        var p1 = (await cluster.GetAsync<V1Pod>("team-a", "p1"))!;
        await cluster.ReplaceStatusAsync(p1 with { Status = new V1PodStatus { Phase = "Succeeded" } });
        await cluster.DeleteAsync<V1Pod>("team-a", "p0", gracePeriodSeconds: 0);
        cache.Sync();
        var after = State(cache);

        Assert.Equal(4, applied);
        Assert.Equal(["n0", "n1"], before.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["p0", "p1"], before.Pods.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["n0"], after.Nodes.Select(n => n.Name));
        Assert.Equal(PodStatus.Succeeded, Assert.Single(after.Pods).Status);
    }

    [Fact]
    public async Task Issues_AreKeptPerObjectUntilItIsFixedOrDeleted()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        await cluster.CreateAsync(Odd("bad-0"));
        await cluster.CreateAsync(Odd("bad-1"));
        await cluster.CreateAsync(TestCluster.KaiPod("good"));
        cache.Sync();
        var first = cache.Issues.Select(i => i.Name).Order(StringComparer.Ordinal).ToList();

        var fixedPod = (await cluster.GetAsync<V1Pod>("team-a", "bad-0"))!;
        await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(fixedPod, m => m.Annotations.Remove("gpu-fraction")));
        cache.Sync();
        var afterFix = cache.Issues.Select(i => i.Name).ToList();
        await cluster.DeleteAsync<V1Pod>("team-a", "bad-1", gracePeriodSeconds: 0);
        cache.Sync();

        Assert.Equal(["bad-0", "bad-1"], first);
        Assert.Equal(["bad-1"], afterFix);
        Assert.Empty(cache.Issues);
    }

    [Fact]
    public async Task Sync_WhenOnlyAPodsStatusChanges_ReusesWhatWasParsedFromItsSpec()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        var created = await cluster.CreateAsync(TestCluster.KaiPod("p0", gpus: 2));
        cache.Sync();
        var before = Assert.Single(State(cache).Pods);

        await cluster.ReplaceStatusAsync(created with { Status = new V1PodStatus { Phase = "Failed" } });
        cache.Sync();
        var after = Assert.Single(State(cache).Pods);

        Assert.NotSame(before, after);
        Assert.Equal(PodStatus.Failed, after.Status);
        Assert.Same(before.Constraints, after.Constraints);
        Assert.Equal(before.Request, after.Request);
        Assert.Equal(2000, after.Request.Gpu);
    }

    [Fact]
    public async Task Sync_WhenAPodsStatusWriteChangesNothingTheEngineReads_KeepsTheMappedPod()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        var created = await cluster.CreateAsync(TestCluster.KaiPod("p0", gpus: 2));
        cache.Sync();
        var before = Assert.Single(State(cache).Pods);

        await cluster.ReplaceStatusAsync(created with { Status = new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False" }] } });
        cache.Sync();
        var after = Assert.Single(State(cache).Pods);

        // The same object, so the next snapshot carries the pod's links over.
        Assert.Same(before, after);
    }

    [Fact]
    public async Task Sync_WhenABindRequestNamesANodeForAPendingPod_MapsThePodAsBindingThere()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        await cluster.CreateAsync(TestCluster.KaiPod("p0"));
        await cluster.CreateAsync(new Kai.Cluster.Crds.BindRequest
        {
            Metadata = new V1ObjectMeta { Name = "p0", NamespaceProperty = "team-a" },
            Spec = new Kai.Cluster.Crds.BindRequestSpec { PodName = "p0", SelectedNode = "n0" },
        });

        cache.Sync();

        var pod = Assert.Single(State(cache).Pods);
        Assert.Equal((PodStatus.Binding, "n0"), (pod.Status, pod.NodeName));
    }

    [Fact]
    public async Task Sync_WhenANodeOnlyPostsAHeartbeat_KeepsItsMappedNode()
    {
        var cluster = TestCluster.Create();
        using var cache = await SchedulerCache.CreateAsync(cluster);
        var created = await cluster.CreateAsync(WithHeartbeat(TestCluster.Node("n0"), TestCluster.Epoch.UtcDateTime));
        cache.Sync();
        var before = Assert.Single(State(cache).Nodes);

        var beat = await cluster.ReplaceStatusAsync(WithHeartbeat(created, TestCluster.Epoch.UtcDateTime.AddSeconds(10)));
        cache.Sync();
        var afterBeat = Assert.Single(State(cache).Nodes);
        var grown = beat with { Status = beat.Status with { Allocatable = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("4") } } };
        await cluster.ReplaceStatusAsync(grown);
        cache.Sync();
        var afterChange = Assert.Single(State(cache).Nodes);

        Assert.Same(before, afterBeat);
        Assert.NotSame(before, afterChange);
        Assert.Equal(4, afterChange.Allocatable.Gpu / 1000);
    }

    private static V1Node WithHeartbeat(V1Node node, DateTime beat) => node with
    {
        Status = node.Status with { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = beat }] },
    };

    private static ClusterState State(SchedulerCache cache) => cache.BuildState(TestCluster.Epoch);

    private static V1Pod Odd(string name)
    {
        var pod = TestCluster.KaiPod(name);
        pod.Metadata.Annotations = new Dictionary<string, string> { ["gpu-fraction"] = "lots" };
        return pod;
    }
}
