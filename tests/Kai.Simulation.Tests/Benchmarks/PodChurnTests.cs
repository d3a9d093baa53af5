using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Controllers.Conventions;
using Kai.Simulation.Benchmarks;
using Kai.Simulation.Time;

namespace Kai.Simulation.Tests.Benchmarks;

/// <summary>The bench's pod churn: finished groups go whole, and every pod left names a pod group that exists.</summary>
public sealed class PodChurnTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task RunOnceAsync_AGroupWithPendingPodsFinishes_TakesThemWithIt()
    {
        // Every group of the mixed cluster gets one pod running and the rest left pending (as an elastic job's extra
        // pods are), so any group that finishes has pending pods too.
        var clock = new SimulatedClock(new DateTimeOffset(Now));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        cluster.Load(MixedCluster.Generate(nodes: 20, pods: 400, pendingPods: 400, seed: 5).Objects);
        foreach (var group in (await cluster.ListAsync<V1Pod>()).Items.ToList().GroupBy(p => p.Metadata.Annotations?[KaiConventions.PodGroupAnnotation]))
        {
            // A new object: the listed ones are the store's (and the generator shares one pending status among pods).
            var first = group.First();
            await cluster.ReplaceStatusAsync(new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = first.Metadata, Spec = first.Spec, Status = new V1PodStatus { Phase = "Running" } });
        }

        var churn = await PodChurn.CreateAsync(cluster, seed: 9);
        var (finished, _) = await churn.RunOnceAsync(40, Now.AddSeconds(1));

        var groups = (await cluster.ListAsync<PodGroup>()).Items.Select(g => (g.Metadata.NamespaceProperty, g.Metadata.Name)).ToHashSet();
        var orphans = (await cluster.ListAsync<V1Pod>()).Items
            .Where(p => p.Metadata.Annotations?.ContainsKey(KaiConventions.PodGroupAnnotation) == true)
            .Where(p => !groups.Contains((p.Metadata.NamespaceProperty, p.Metadata.Annotations[KaiConventions.PodGroupAnnotation])))
            .Select(p => p.Metadata.Name)
            .ToList();
        Assert.True(finished >= 40);
        Assert.Empty(orphans);
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 1)]
    [InlineData(3, 150)]
    [InlineData(4, 10_000)]
    public async Task RunOnceAsync_FinishesTheGroupsTheGroupingOfEveryPodChose(int seed, int pods)
    {
        // The churn once grouped every pod of the cluster to draw from; it now counts them and gathers only the drawn
        // groups' pods. The groups drawn and the order of the deletes must not change (the bench's decisions follow them).
        var clock = new SimulatedClock(new DateTimeOffset(Now));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        cluster.Load(MixedCluster.Generate(nodes: 20, pods: 400, pendingPods: 120, seed: seed).Objects);
        var expected = ReferenceDeletes((await cluster.ListAsync<V1Pod>()).Items, seed, pods);
        using var feed = await cluster.SubscribeAsync(new Kai.Cluster.Port.ChangeFeedOptions());
        while (feed.Changes.TryRead(out _))
        {
        }

        var churn = await PodChurn.CreateAsync(cluster, seed);
        var (finished, _) = await churn.RunOnceAsync(pods, Now.AddSeconds(1));

        var deleted = new List<string>();
        while (feed.Changes.TryRead(out var change))
        {
            if (change.Type == Kai.Cluster.Port.ChangeType.Deleted && change.Object is V1Pod or PodGroup)
            {
                deleted.Add($"{change.Object.Kind}/{change.Object.Metadata.Name}");
            }
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected, deleted);
        Assert.Equal(expected.Count(d => d.StartsWith("Pod/", StringComparison.Ordinal)), finished);
    }

    /// <summary>The deletes of the churn as it was: every live pod grouped, groups with a running pod sorted, drawn in turn.</summary>
    private static List<string> ReferenceDeletes(IReadOnlyList<V1Pod> all, int seed, int pods)
    {
        var random = new Random(seed);
        var running = all
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => (p.Metadata.NamespaceProperty, Group: p.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var g) == true ? g : p.Metadata.Name))
            .Where(g => g.Any(p => p.Status?.Phase == "Running"))
            .OrderBy(g => g.Key.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => (g.Key, Pods: g.ToList()))
            .ToList();
        var deletes = new List<string>();
        var finished = 0;
        while (finished < pods && running.Count > 0)
        {
            var index = random.Next(running.Count);
            var group = running[index];
            running[index] = running[^1];
            running.RemoveAt(running.Count - 1);
            deletes.AddRange(group.Pods.Select(p => $"Pod/{p.Metadata.Name}"));
            finished += group.Pods.Count;
            deletes.Add($"PodGroup/{group.Key.Group}");
        }

        return deletes;
    }
}
