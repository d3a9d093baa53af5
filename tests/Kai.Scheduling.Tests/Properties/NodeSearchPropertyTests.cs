using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The indexed node search must pick the same node as scoring every node, on random session states: random
/// clusters (binpack or spread for GPU and CPU, releasing pods), then random allocations, evictions and
/// (in the second test) pipelined placements made through a statement.
/// </summary>
public sealed class NodeSearchPropertyTests
{
    private const int Iterations = 300;

    private static readonly Gen<(int Kind, int Pod, int Node)[]> OperationsGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[0, 20];

    [Fact]
    public void Find_AfterRandomAllocationsAndEvictions_AgreesWithTheFullScan()
    {
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) => AssertIndexedSearchAgrees(world, operations, allowPipelines: false),
            iter: Iterations);
    }

    [Fact]
    public void Find_AfterRandomPipelinedPlacements_AgreesWithTheFullScan()
    {
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) => AssertIndexedSearchAgrees(world, operations, allowPipelines: true),
            iter: Iterations);
    }

    [Fact]
    public void Find_WithAHostsNodeClassBonusTier_AgreesWithTheFullScan()
    {
        var registry = PluginRegistry.CreateBuilder().AddKaiPlugins().AddPlugin(LargeNodeBonus.Name, _ => new LargeNodeBonus()).Build();
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) =>
            {
                var configuration = world.Configuration with { Plugins = [.. KaiPlugins.DefaultPlugins.Append(LargeNodeBonus.Name).Select(n => new PluginEntry(n))] };
                var engine = new SchedulingEngine(configuration, registry);
                Assert.Contains(LargeNodeBonus.Name, engine.Plugins.Names);
                AssertIndexedSearchAgrees(world, operations, allowPipelines: true, engine);
            },
            iter: Iterations);
    }

    [Fact]
    public void Plan_WithKaisScorers_WalksTheIndexSharedGpuFirstThenIdleThenCpuNodes()
    {
        var session = new Builders.Cluster().Open();

        var tiers = session.Plugins.ScoreTiers;

        Assert.True(tiers.Indexed);
        Assert.Equal([NodeScoreTiers.FitsSharedGpuTier, NodeScoreTiers.FitsOnIdleTier, 0], tiers.Bonuses);
        Assert.Equal("resourcetype", Assert.Single(tiers.ClassTiers).Name);
        Assert.Equal("nodeplacement", tiers.Ordering!.Name);
    }

    [Theory]
    [InlineData(50, true)]
    [InlineData(19, false)]
    [InlineData(5, false)]
    public void Plan_WhenABonusDoesNotExceedEverythingBelowIt_ScoresEveryNode(double bonus, bool indexed)
    {
        var scorers = KaiScorers().Append(new LargeNodeBonus(bonus)).ToArray();

        Assert.Equal(indexed, NodeScoreTiers.Plan(scorers).Indexed);
    }

    [Fact]
    public void Plan_WithAnOpaqueScorer_ScoresEveryNode()
    {
        var scorers = KaiScorers().Append(new OpaqueScore()).ToArray();

        Assert.False(NodeScoreTiers.Plan(scorers).Indexed);
    }

    /// <summary>KAI's scorers the tiers are planned from (selective ones, scoring only some pods, stay out of the plan).</summary>
    private static INodeScorePlugin[] KaiScorers() => [.. new Builders.Cluster().Open().Plugins.Scorers.Where(s => s is not ISelectiveNodeScore)];

    private static void AssertIndexedSearchAgrees(RandomWorld world, (int Kind, int Pod, int Node)[] operations, bool allowPipelines, SchedulingEngine? engine = null)
    {
        var session = (engine ?? new SchedulingEngine(world.Configuration, KaiPlugins.Registry)).OpenSession(SnapshotBuilder.Build(world.State));
        Assert.True(session.Plugins.ScoreTiers.Indexed);
        using var statement = session.Begin(ActionKind.Allocate);
        foreach (var (kind, pod, node) in operations)
        {
            Apply(session, statement, kind == 2 && !allowPipelines ? 0 : kind, pod, node);
        }

        for (var p = 0; p < session.Snapshot.Pods.Count; p++)
        {
            if (session.StatusOf(p) != PodStatus.Pending)
            {
                continue;
            }

            var scanned = NodeSearch.Find(session, p, forceFullScan: true);
            var indexed = NodeSearch.Find(session, p);

            Assert.True(Same(scanned, indexed), $"pod {session.Snapshot.Pods[p].Name} ({session.RequestOf(p)}, {session.Snapshot.Pods[p].Gpu}): full scan {Describe(session, scanned)}, index {Describe(session, indexed)}");
        }
    }

    /// <summary>Applies one operation if it keeps the state realistic (placements fit); otherwise does nothing.</summary>
    private static void Apply(Session session, Statement statement, int kind, int pick, int nodePick)
    {
        var pods = session.Snapshot.Pods.Count;
        if (pods == 0 || session.Nodes.Length == 0)
        {
            return;
        }

        var node = session.Nodes[nodePick % session.Nodes.Length];
        if (kind == 1)
        {
            var victims = Enumerable.Range(0, pods).Where(p => session.StatusOf(p).IsActiveAllocated() && session.NodeOf(p) >= 0).ToArray();
            if (victims.Length > 0)
            {
                statement.Evict(victims[pick % victims.Length]);
            }

            return;
        }

        var pending = Enumerable.Range(0, pods).Where(p => session.StatusOf(p) == PodStatus.Pending).ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        var pod = pending[pick % pending.Length];
        var request = session.RequestOf(pod);
        if (session.Snapshot.Pods[pod].Gpu.IsShared)
        {
            PlaceSharer(session, statement, kind, pod, node);
        }
        else if (kind == 0 && request.FitsIn(node.Idle) && request.FitsIn(node.Free))
        {
            statement.Allocate(pod, node.Index);
        }
        else if (kind == 2 && request.FitsIn(node.Free))
        {
            statement.Pipeline(pod, node.Index);
        }
    }

    /// <summary>Places a pod that shares GPUs on the GPUs the framework would choose there, if it fits.</summary>
    internal static void PlaceSharer(Session session, Statement statement, int kind, int pod, NodeState node)
    {
        if (!SharedGpuFit.FitsFree(session, pod, node))
        {
            return;
        }

        var fitsIdle = SharedGpuFit.FitsIdle(session, pod, node);
        if (SharedGpuPlacement.Choose(session, pod, node, fitsIdle) is not { } choice || node.Free.Pods < 1 + choice.NewGroups)
        {
            return;
        }

        var groups = SharedGpuPlacement.Materialize(session, pod, node, choice);
        if (kind == 0 && fitsIdle && !choice.Releasing)
        {
            statement.Allocate(pod, node.Index, groups);
        }
        else if (kind == 2)
        {
            statement.Pipeline(pod, node.Index, groups);
        }
    }

    private static bool Same(NodeSearch.Placement a, NodeSearch.Placement b) =>
        a.Node == b.Node && a.FitsIdle == b.FitsIdle && a.Gpus.HasValue == b.Gpus.HasValue
        && (a.Gpus is not { } x || (b.Gpus is { } y && x.NewGroups == y.NewGroups && x.Releasing == y.Releasing && x.Existing.SequenceEqual(y.Existing)));

    private static string Describe(Session session, NodeSearch.Placement placement) =>
        placement.Found
            ? $"{session.Nodes[placement.Node]} (fits idle: {placement.FitsIdle}{(placement.Gpus is { } gpus ? $"; groups [{string.Join(", ", gpus.Existing.Select(g => g.Id))}] + {gpus.NewGroups} new, releasing {gpus.Releasing}" : string.Empty)})"
            : "none";

    /// <summary>A host's bonus for GPU pods on nodes with at least 4 GPUs: a second node-class tier, between KAI's 100 and 10.</summary>
    private sealed class LargeNodeBonus(double bonus = 50) : INodeClassScore
    {
        public const string Name = "largenode";

        string ISchedulerPlugin.Name => Name;

        public NodeScoreShape Shape { get; } = NodeScoreShape.Bonus(bonus, NodeBonusCondition.NodeClass);

        public bool AppliesTo(in NodeScoringContext context) => context.GpuPod;

        public bool InClass(Node node) => node.Allocatable.Gpu >= 4000;

        public double Score(ISessionView session, in NodeScoringContext context, NodeState node) =>
            AppliesTo(context) && InClass(node.Node) ? Shape.Bound : 0;
    }

    private sealed class OpaqueScore : INodeScorePlugin
    {
        public string Name => "opaque";

        public NodeScoreShape Shape => NodeScoreShape.Opaque;

        public double Score(ISessionView session, in NodeScoringContext context, NodeState node) => node.Index % 3;
    }
}
