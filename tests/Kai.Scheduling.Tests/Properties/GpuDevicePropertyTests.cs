using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Invariants of shared GPUs (GPU groups) on random clusters where a third of the pods share GPUs by fraction or by
/// memory, on one or two devices: after random placements and evictions through a statement, and after whole cycles
/// of every action.
/// </summary>
public sealed class GpuDevicePropertyTests
{
    private const int Iterations = 300;

    private static readonly Gen<(int Kind, int Pod, int Node)[]> OperationsGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[0, 30];

    [Fact]
    public void Statement_AfterRandomPlacementsAndEvictions_NeverOverfillsADeviceNorSharesOneWithAWholeGpuPod()
    {
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) =>
            {
                var session = Open(world);
                using var statement = session.Begin(ActionKind.Allocate);
                Operate(session, statement, operations);

                AssertDevicesWithinMemory(session, world);
                AssertDevicesNotOverCommitted(session, world);
            },
            iter: Iterations);
    }

    [Fact]
    public void Statement_AfterRandomPlacementsAndEvictions_QueueAllocationEqualsTheSumOverDevices()
    {
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) =>
            {
                var session = Open(world);
                using var statement = session.Begin(ActionKind.Allocate);
                Operate(session, statement, operations);

                var snapshot = session.Snapshot;
                var expected = new long[snapshot.Queues.Count];
                for (var p = 0; p < snapshot.Pods.Count; p++)
                {
                    var group = snapshot.GroupOf(p);
                    var queue = group >= 0 ? snapshot.QueueOf(group) : -1;
                    if (queue < 0 || !session.StatusOf(p).IsActiveAllocated())
                    {
                        continue;
                    }

                    // A sharer counts its share on each device it holds, as that node converts it.
                    var pod = snapshot.Pods[p];
                    var gpus = pod.Request.Gpu;
                    foreach (var device in session.GpuGroupsOf(p))
                    {
                        gpus += pod.Gpu.PortionMilliOn(session.Nodes[device.Node].Node.GpuMemoryMiB);
                    }

                    foreach (var q in snapshot.QueueAndAncestors(queue))
                    {
                        expected[q] += gpus;
                    }
                }

                for (var q = 0; q < expected.Length; q++)
                {
                    Assert.True(expected[q] == session.Queues.Allocated[q].Gpu, $"queue {snapshot.Queues[q].Name}: allocated {session.Queues.Allocated[q].Gpu} milli-GPU, devices say {expected[q]}\n{world}");
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void Statement_RolledBack_RestoresEveryDeviceNodeAndQueueBookExactly()
    {
        Gen.Select(RandomWorld.Gen(withReleasing: true), OperationsGen).Sample(
            (world, operations) =>
            {
                var session = Open(world);
                var before = Books(session);
                using (var statement = session.Begin(ActionKind.Allocate))
                {
                    Operate(session, statement, operations);
                    statement.Discard();
                }

                Assert.Equal(before, Books(session));
            },
            iter: Iterations);
    }

    [Fact]
    public void RunCycle_WithEveryAction_NeverOverfillsADeviceNorSharesOneWithAWholeGpuPod()
    {
        RandomWorld.Gen(withReleasing: true).Sample(
            world =>
            {
                var snapshot = SnapshotBuilder.Build(world.State);
                var configuration = world.Configuration with { Actions = [ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt] };
                var result = new SchedulingEngine(configuration, KaiPlugins.Registry).RunCycle(snapshot);
                var final = FinalState.After(snapshot, result);
                var groups = Enumerable.Range(0, snapshot.Pods.Count).Select(p => snapshot.Pods[p].GpuGroups).ToArray();
                var byKey = Enumerable.Range(0, snapshot.Pods.Count).ToDictionary(p => snapshot.Pods[p].Key);
                foreach (var decision in result.Decisions.Where(d => d.Kind != DecisionKind.Evict && d.Gpu.Kind == GpuGrantKind.Fraction))
                {
                    groups[byKey[decision.Pod]] = decision.Gpu.Groups;
                }

                for (var n = 0; n < snapshot.Nodes.Count; n++)
                {
                    var node = snapshot.Nodes[n];

                    // Now (pods holding the node) and once releasing pods are gone (active pods, pipelined ones included).
                    foreach (var (view, holds) in new (string, Func<PodStatus, bool>)[] { ("now", s => s.IsActiveUsed() && s != PodStatus.Pipelined), ("promised", s => s.IsActiveAllocated()) })
                    {
                        var memory = new Dictionary<string, long>(StringComparer.Ordinal);
                        var whole = 0L;
                        for (var p = 0; p < snapshot.Pods.Count; p++)
                        {
                            if (final.Node[p] != n || !holds(final.Status[p]))
                            {
                                continue;
                            }

                            whole += snapshot.Pods[p].Request.Gpu;
                            foreach (var group in groups[p])
                            {
                                memory[group] = memory.GetValueOrDefault(group) + snapshot.Pods[p].Gpu.MemoryOn(node.GpuMemoryMiB);
                            }
                        }

                        Assert.True(memory.Values.All(m => m <= node.GpuMemoryMiB), $"node {node.Name} ({view}): a shared GPU holds {memory.Values.DefaultIfEmpty().Max()} of {node.GpuMemoryMiB} MiB\n{world}");
                        Assert.True(whole + (memory.Count * ResourceVector.MilliPerGpu) <= node.Allocatable.Gpu, $"node {node.Name} ({view}): {whole / 1000} whole GPUs and {memory.Count} shared GPUs on {node.Allocatable.Gpu / 1000} GPUs\n{world}");
                    }
                }
            },
            iter: Iterations);
    }

    private static Session Open(RandomWorld world) =>
        new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));

    /// <summary>Random allocations, pipelines and evictions, each only where it fits (sharers on the GPUs the framework picks).</summary>
    private static void Operate(Session session, Statement statement, (int Kind, int Pod, int Node)[] operations)
    {
        foreach (var (kind, pick, nodePick) in operations)
        {
            var pods = session.Snapshot.Pods.Count;
            if (pods == 0 || session.Nodes.Length == 0)
            {
                return;
            }

            var node = session.Nodes[nodePick % session.Nodes.Length];
            if (kind == 1)
            {
                // Running pods are evicted (a pipelined pod is not running anywhere yet).
                var victims = Enumerable.Range(0, pods).Where(p => session.StatusOf(p).IsActiveAllocated() && session.StatusOf(p) != PodStatus.Pipelined && session.NodeOf(p) >= 0).ToArray();
                if (victims.Length > 0)
                {
                    statement.Evict(victims[pick % victims.Length]);
                }

                continue;
            }

            var pending = Enumerable.Range(0, pods).Where(p => session.StatusOf(p) == PodStatus.Pending && session.Snapshot.Pods[p].Gpu.IsShared).ToArray();
            if (pending.Length > 0)
            {
                NodeSearchPropertyTests.PlaceSharer(session, statement, kind, pending[pick % pending.Length], node);
            }
        }
    }

    private static void AssertDevicesWithinMemory(Session session, RandomWorld world)
    {
        foreach (var node in session.Nodes)
        {
            var gpuMemory = node.Node.GpuMemoryMiB;
            foreach (var group in node.SharedGpus)
            {
                var members = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.GpuGroupsOf(p).Contains(group)).ToList();
                Assert.True(members.Count == group.Pods, $"group {group.Id} on {node.Node.Name}: books say {group.Pods} pods, {members.Count} hold it");
                Assert.True(members.Sum(p => session.Snapshot.Pods[p].Gpu.MemoryOn(gpuMemory)) == group.UsedMemory, $"group {group.Id}: used memory {group.UsedMemory} differs from its pods'");
                Assert.True(group.RunningMemory + group.ReleasingMemory <= gpuMemory, $"group {group.Id} on {node.Node.Name}: {group} over {gpuMemory} MiB now\n{world}");
                Assert.True(group.RunningMemory + group.PipelinedMemory <= gpuMemory, $"group {group.Id} on {node.Node.Name}: {group} over {gpuMemory} MiB once releasing pods are gone\n{world}");
            }
        }
    }

    private static void AssertDevicesNotOverCommitted(Session session, RandomWorld world)
    {
        var snapshot = session.Snapshot;
        foreach (var node in session.Nodes)
        {
            // Whole-GPU pods and shared GPUs together never hold more devices than the node has.
            var wholeNow = 0L;
            var wholePromised = 0L;
            foreach (var p in node.Pods)
            {
                var status = session.StatusOf(p);
                wholeNow += status != PodStatus.Pipelined ? snapshot.Pods[p].Request.Gpu : 0;
                wholePromised += status.IsActiveAllocated() ? snapshot.Pods[p].Request.Gpu : 0;
            }

            var sharedNow = node.SharedGpus.Count(g => g.RunningMemory + g.ReleasingMemory > 0);
            var sharedPromised = node.SharedGpus.Count(g => g.IsOpen);
            var gpus = node.Node.Allocatable.Gpu;
            Assert.True(wholeNow + (sharedNow * 1000) <= gpus, $"node {node.Node.Name}: {wholeNow / 1000} whole and {sharedNow} shared GPUs held of {gpus / 1000}\n{world}");
            Assert.True(wholePromised + (sharedPromised * 1000) <= gpus, $"node {node.Node.Name}: {wholePromised / 1000} whole and {sharedPromised} shared GPUs promised of {gpus / 1000}\n{world}");
            Assert.True(node.Free.FitsInExceptGpu(node.Node.Allocatable) && node.Free.Gpu >= 0, $"node {node.Node.Name}: free {node.Free}");
        }
    }

    /// <summary>Every book of the session as text: node books, shared GPUs, pods' statuses and groups, queue allocations.</summary>
    private static string Books(Session session)
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in session.Nodes)
        {
            text.AppendLine($"{node.Node.Name}: idle {node.Idle} releasing {node.Releasing} used {node.Used} pods {string.Join(',', node.Pods.Order())}");
            foreach (var group in node.SharedGpus)
            {
                text.AppendLine($"  {group}");
            }
        }

        for (var p = 0; p < session.Snapshot.Pods.Count; p++)
        {
            text.AppendLine($"pod {p}: {session.StatusOf(p)} {session.NodeOf(p)} [{string.Join(',', session.GpuGroupsOf(p).Select(g => g.Id))}]");
        }

        for (var q = 0; q < session.Snapshot.Queues.Count; q++)
        {
            text.AppendLine($"queue {q}: {session.Queues.Allocated[q]} / {session.Queues.AllocatedNonPreemptible[q]}");
        }

        return text.ToString();
    }
}
