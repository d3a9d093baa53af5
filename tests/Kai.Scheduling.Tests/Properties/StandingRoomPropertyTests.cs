using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The victim search reads two bounds from the node index instead of a pass over every node: the standing room of a
/// pod of whole GPUs (<see cref="VictimNodeReach"/>: only nodes with that many GPUs free can hold one) and the largest
/// free amounts of the room check (<see cref="TryRoomCheck"/>). On random worlds, after random evictions and placements
/// (so the index has followed changes), the index's standing room equals the pass over every node, and the index's
/// largest free GPUs equal the largest over the nodes.
/// </summary>
public sealed class StandingRoomPropertyTests
{
    private const int Iterations = 400;

    [Fact]
    public void StandingNodes_WhenReadFromTheNodeIndex_EqualsThePassOverEveryNode()
    {
        var fromIndexCounted = 0;
        Worlds().Sample(
            sample =>
            {
                var (session, random) = Open(sample.World, sample.Seed);
                using var statement = Disturb(session, random);
                foreach (var pod in Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p) == PodStatus.Pending))
                {
                    var everyNode = VictimNodeReach.StandingNodes(session, pod, fromNodeIndex: false);
                    var fromIndex = VictimNodeReach.StandingNodes(session, pod, fromNodeIndex: true);
                    Assert.Equal(everyNode, fromIndex);
                    fromIndexCounted += session.RequestOf(pod).Gpu > 0 && !session.Snapshot.Pods[pod].Gpu.IsShared && everyNode.Count > 0 ? 1 : 0;
                }

                var largestFreeGpus = Enumerable.Range(0, session.Snapshot.Nodes.Count).Max(n => Math.Max(0, session.NodeAt(n).Free.Gpu));
                Assert.Equal(largestFreeGpus, session.NodeIndex.LargestFree(PlacementResource.Gpu));
                Assert.All(Enumerable.Range(0, session.Snapshot.Nodes.Count), n =>
                    Assert.True(session.NodeAt(n).Free.Cpu <= session.NodeIndex.LargestAllocatable.Cpu
                        && session.NodeAt(n).Free.Memory <= session.NodeIndex.LargestAllocatable.Memory));
            },
            iter: Iterations);

        // The index's path must have been taken for pods that some node holds, not only for empty rooms.
        Assert.True(fromIndexCounted > 100, $"only {fromIndexCounted} GPU pods had standing room");
    }

    private static Gen<(RandomWorld World, int Seed)> Worlds() =>
        from world in Gen.Int[0, 2].SelectMany(kind => kind == 0 ? RandomWorld.CrowdedGen() : RandomWorld.Gen(withReleasing: kind == 1))
        from seed in Gen.Int[0, 1_000_000]
        select (world, seed);

    private static (Session Session, Random Random) Open(RandomWorld world, int seed) =>
        (new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State)), new Random(seed));

    /// <summary>Evicts some running pods and pipelines some pending ones where they fit, in an open statement.</summary>
    private static Statement Disturb(Session session, Random random)
    {
        var statement = session.Begin(ActionKind.Reclaim);
        foreach (var pod in Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList())
        {
            if (random.Next(4) == 0)
            {
                statement.Evict(pod);
            }
        }

        foreach (var pod in Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p) == PodStatus.Pending).ToList())
        {
            if (random.Next(3) == 0 && !session.Snapshot.Pods[pod].Gpu.IsShared && NodeSearchFind(session, pod) is >= 0 and var node)
            {
                statement.Pipeline(pod, node);
            }
        }

        return statement;
    }

    private static int NodeSearchFind(Session session, int pod)
    {
        var found = Kai.Scheduling.Placement.NodeSearch.Find(session, pod);
        return found.Found ? found.Node : -1;
    }
}
