using CsCheck;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>Invariants of one allocate cycle over random clusters.</summary>
public sealed class CycleInvariantPropertyTests
{
    private const int Iterations = 300;

    [Fact]
    public void RunCycle_OnRandomClustersWithoutReleasingPods_NeverOverCommitsANode()
    {
        RandomWorld.Gen(withReleasing: false).Sample(AssertNoNodeOverCommitted, iter: Iterations);
    }

    [Fact]
    public void RunCycle_OnRandomClustersWithReleasingPods_NeverOverCommitsANode()
    {
        RandomWorld.Gen(withReleasing: true).Sample(AssertNoNodeOverCommitted, iter: Iterations);
    }

    [Fact]
    public void RunCycle_OnRandomClusters_KeepsEveryQueueWithinItsLimits()
    {
        RandomWorld.Gen(withReleasing: true).Sample(
            world =>
            {
                var (snapshot, result) = Run(world);
                var initial = FinalState.Initial(snapshot);
                var final = FinalState.After(snapshot, result);

                for (var q = 0; q < snapshot.Queues.Count; q++)
                {
                    var queue = snapshot.Queues[q];
                    var before = initial.QueueAllocated(q);
                    var after = final.QueueAllocated(q);
                    AssertWithinLimit(queue.Name, "gpu", queue.Gpu.Limit, before.Gpu, after.Gpu);
                    AssertWithinLimit(queue.Name, "cpu", queue.Cpu.Limit, before.Cpu, after.Cpu);
                    AssertWithinLimit(queue.Name, "memory", queue.Memory.Limit, before.Memory, after.Memory);
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void RunCycle_OnRandomClusters_NeverLeavesANewlyPlacedGangBelowItsMinimum()
    {
        RandomWorld.Gen(withReleasing: true).Sample(
            world =>
            {
                var (snapshot, result) = Run(world);
                var final = FinalState.After(snapshot, result);

                for (var g = 0; g < snapshot.Groups.Count; g++)
                {
                    if (!snapshot.MembersOf(g).Any(p => final.PlacedNow[p]))
                    {
                        continue;
                    }

                    foreach (var set in snapshot.PodSetsOf(g))
                    {
                        var active = set.Members.Count(p => final.Status[p].IsActiveAllocated());
                        Assert.True(active >= set.MinAvailable, $"group {snapshot.Groups[g].Name} set {set.Name}: {active} active after placement, minimum {set.MinAvailable}");
                    }
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void RunCycle_OnTheSameInputTwice_DecidesTheSame()
    {
        RandomWorld.Gen(withReleasing: true).Sample(
            world =>
            {
                var (_, first) = Run(world);
                var (_, second) = Run(world);

                Assert.Equal(first.Decisions, second.Decisions);
                Assert.Equal(first.Explanations, second.Explanations);
                Assert.Equal(first.StartedGroups, second.StartedGroups);
            },
            iter: 100);
    }

    private static void AssertNoNodeOverCommitted(RandomWorld world)
    {
        var (snapshot, result) = Run(world);
        var final = FinalState.After(snapshot, result);

        for (var n = 0; n < snapshot.Nodes.Count; n++)
        {
            var allocatable = snapshot.Nodes[n].Allocatable;

            // Pods that hold the node now (bound, binding, running, or still terminating) must fit it...
            var holding = final.OnNode(n, s => s.IsActiveUsed() && s != PodStatus.Pipelined);

            // ...and so must the pods that will hold it once terminating pods are gone (incl. pipelined ones).
            var promised = final.OnNode(n, s => s.IsActiveAllocated());

            Assert.True(holding.FitsIn(allocatable), $"node {snapshot.Nodes[n].Name}: pods holding it now request {holding}, allocatable {allocatable}");
            Assert.True(promised.FitsIn(allocatable), $"node {snapshot.Nodes[n].Name}: active pods incl. pipelined request {promised}, allocatable {allocatable}");
        }
    }

    private static void AssertWithinLimit(string queue, string resource, long limit, long before, long after)
    {
        if (limit == QueueResourceSettings.Unlimited)
        {
            return;
        }

        Assert.True(after <= Math.Max(limit, before), $"queue {queue} {resource}: {after} allocated after the cycle (before {before}), limit {limit}");
    }

    private static (ClusterSnapshot Snapshot, CycleResult Result) Run(RandomWorld world)
    {
        var snapshot = SnapshotBuilder.Build(world.State);
        return (snapshot, new SchedulingEngine(world.Configuration, KaiPlugins.Registry).RunCycle(snapshot));
    }
}
