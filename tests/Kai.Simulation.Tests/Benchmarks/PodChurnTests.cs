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
}
