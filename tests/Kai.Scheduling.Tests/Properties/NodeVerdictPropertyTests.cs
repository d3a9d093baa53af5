using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The explanation book keeps each pod shape's per-node verdicts across a session and checks again only the nodes
/// whose books changed. A dynamic predicate that may read beyond its node turns that off (every failure counts
/// every node again): on random clusters, cycles with and without kept verdicts must decide and explain alike.
/// </summary>
public sealed class NodeVerdictPropertyTests
{
    [Fact]
    public void RunCycle_WithVerdictsKeptAcrossChanges_ExplainsAsARecountOfEveryNode()
    {
        var registry = PluginRegistry.CreateBuilder().AddKaiPlugins().AddPlugin(AnywherePredicate.Name, _ => new AnywherePredicate()).Build();
        RandomWorld.Gen(withReleasing: true).Sample(
            world =>
            {
                var snapshot = SnapshotBuilder.Build(world.State);
                var kept = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).RunCycle(snapshot);
                var recounting = world.Configuration with { Plugins = [.. KaiPlugins.DefaultPlugins.Append(AnywherePredicate.Name).Select(n => new PluginEntry(n))] };
                var recounted = new SchedulingEngine(recounting, registry).RunCycle(snapshot);

                Assert.Equal(recounted.Decisions, kept.Decisions);
                Assert.Equal(recounted.Explanations, kept.Explanations);
            },
            iter: 400);
    }

    [Fact]
    public void RunCycle_OnCrowdedClustersOfFewPodShapes_ExplainsAsARecountOfEveryNode()
    {
        // Many gangs of three shapes on few nodes: failures of one shape come between placements that change some
        // nodes' books, and gangs fail part-placed, which is what the kept verdicts must follow.
        var registry = PluginRegistry.CreateBuilder().AddKaiPlugins().AddPlugin(AnywherePredicate.Name, _ => new AnywherePredicate()).Build();
        var recounting = SchedulerConfiguration.Default with { Plugins = [.. KaiPlugins.DefaultPlugins.Append(AnywherePredicate.Name).Select(n => new PluginEntry(n))] };
        var nodes = Gen.Select(Gen.Int[0, 8], Gen.Int[1, 16]).Array[1, 6];
        var groups = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 4], Gen.Int[0, 3]).Array[1, 24];
        Gen.Select(nodes, groups).Sample(
            (nodeSpecs, groupSpecs) =>
            {
                var cluster = new Builders.Cluster()
                    .With([.. nodeSpecs.Select((n, i) => Builders.A.Node($"n{i}").Gpus(n.Item1).Cpu($"{n.Item2}"))])
                    .With([.. groupSpecs.Select((g, i) => Builders.A.PodGroup($"j{i}").Priority(g.Item3).MinMember(g.Item2)
                        .Members(g.Item2, gpu: g.Item1 * 2, cpu: $"{1 + (g.Item1 * 3)}"))]);
                var snapshot = cluster.Snapshot();
                var kept = new SchedulingEngine(SchedulerConfiguration.Default, KaiPlugins.Registry).RunCycle(snapshot);
                var recounted = new SchedulingEngine(recounting, registry).RunCycle(snapshot);

                Assert.Equal(recounted.Decisions, kept.Decisions);
                Assert.Equal(recounted.Explanations, kept.Explanations);
            },
            iter: 400);
    }

    [Fact]
    public void DynamicChecksAreNodeLocal_WithAPredicateThatDoesNotSay_IsFalse()
    {
        var registry = PluginRegistry.CreateBuilder().AddKaiPlugins().AddPlugin(AnywherePredicate.Name, _ => new AnywherePredicate()).Build();
        var configuration = SchedulerConfiguration.Default with { Plugins = [.. KaiPlugins.DefaultPlugins.Append(AnywherePredicate.Name).Select(n => new PluginEntry(n))] };
        var world = new Builders.Cluster().With(Builders.A.Node("n1").Gpus(1)).With(Builders.A.PodGroup("j0").Members(1, gpu: 1));

        var withKai = new SchedulingEngine(SchedulerConfiguration.Default, KaiPlugins.Registry).OpenSession(world.Snapshot());
        var withHost = new SchedulingEngine(configuration, registry).OpenSession(world.Snapshot());

        Assert.True(withKai.Plugins.DynamicChecksAreNodeLocal(withKai, 0));
        Assert.False(withHost.Plugins.DynamicChecksAreNodeLocal(withHost, 0));
    }

    /// <summary>A host's dynamic predicate that passes every node but does not say it reads only the node.</summary>
    private sealed class AnywherePredicate : INodePredicatePlugin
    {
        public const string Name = "anywhere";

        string ISchedulerPlugin.Name => Name;

        public bool IsStatic => false;

        public PluginStatus Check(ISessionView session, int pod, NodeState node) => PluginStatus.Success;
    }
}
