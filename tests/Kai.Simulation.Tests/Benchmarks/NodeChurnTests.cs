using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Simulation.Benchmarks;
using Kai.Simulation.Time;

namespace Kai.Simulation.Tests.Benchmarks;

/// <summary>The bench's node churn: mostly heartbeats, one real change in ten, the same nodes for the same seed.</summary>
public sealed class NodeChurnTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task RunOnceAsync_ThirtyUpdates_AreTwentySevenHeartbeatsAndOneChangeOfEachKind()
    {
        var cluster = Cluster(20);
        var churn = await NodeChurn.CreateAsync(cluster, seed: 7);

        var counts = new List<(int Heartbeats, int RealChanges)>();
        for (var round = 1; round <= 3; round++)
        {
            counts.Add(await churn.RunOnceAsync(10, Now.AddSeconds(round)));
        }

        var nodes = (await cluster.ListAsync<V1Node>()).Items;
        Assert.All(counts, c => Assert.Equal((9, 1), c));
        Assert.Single(nodes, n => n.Metadata.Labels?.ContainsKey(NodeChurn.ChurnKey) == true);
        Assert.Single(nodes, n => n.Spec?.Taints?.Any(t => t.Key == NodeChurn.ChurnKey && t.Effect == "PreferNoSchedule") == true);
        Assert.Single(nodes, n => n.Status.Allocatable["memory"].ToString() == "1016Gi");
        Assert.InRange(nodes.Count(n => n.Status.Conditions.Single().LastHeartbeatTime > Now), 10, 20);
    }

    [Fact]
    public async Task RunOnceAsync_SameSeed_UpdatesTheSameNodes()
    {
        var updated = new List<string[]>();
        foreach (var seed in new[] { 3, 3, 4 })
        {
            var cluster = Cluster(50);
            var churn = await NodeChurn.CreateAsync(cluster, seed);
            await churn.RunOnceAsync(5, Now.AddSeconds(1));
            updated.Add([.. (await cluster.ListAsync<V1Node>()).Items
                .Where(n => n.Status.Conditions.Single().LastHeartbeatTime > Now)
                .Select(n => n.Metadata.Name)
                .Order(StringComparer.Ordinal)]);
        }

        Assert.Equal(5, updated[0].Length);
        Assert.Equal(updated[0], updated[1]);
        Assert.NotEqual(updated[0], updated[2]);
    }

    private static EmbeddedCluster Cluster(int nodes)
    {
        var cluster = new EmbeddedCluster(new SimulatedClock(new DateTimeOffset(Now)), KaiKinds.CreateRegistry());
        cluster.Load([.. Enumerable.Range(0, nodes).Select(i => Node($"node-{i:D3}"))]);
        return cluster;
    }

    private static V1Node Node(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Ti"), ["nvidia.com/gpu"] = new("8") },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = Now }],
        },
    };
}
