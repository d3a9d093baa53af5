using IEnumerable = System.Collections.IEnumerable;
using System.Globalization;
using System.Reflection;
using System.Text;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Cache;
using Kai.Controllers.Conventions;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Cache;

/// <summary>
/// The cache keeps the engine's model up to date change by change (mapping only what changed, keeping a pod's
/// parsed request when only its status changed): after any sequence of creates, replaces, status updates and
/// deletes of every watched kind, synced at random points, its model equals the model of a cache filled from
/// scratch from the same cluster; a snapshot that carries the previous snapshot's links over equals one built from
/// scratch from the same state; and a session over it starts from the same books (patched from the previous
/// snapshot's) as a session over a snapshot built from scratch, even after cycles decided over the previous one.
/// </summary>
public sealed class SchedulerCachePropertyTests
{
    private enum OpKind
    {
        Node,
        NodeStatus,
        DeleteNode,
        Queue,
        DeleteQueue,
        Group,
        DeleteGroup,
        Pod,
        PodStatus,
        PodCondition,
        DeletePod,
        PriorityClass,
        BindRequest,
        DeleteBindRequest,
        Sync,
    }

    private sealed record Op(OpKind Kind, int Name, int Value, int Other)
    {
        public override string ToString() => $"{Kind} #{Name} value {Value} other {Other}";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 2], Gen.Int[0, 8], Gen.Int[0, 3], (kind, name, value, other) => new Op(kind, name, value, other));

    // Mostly pod and group changes, so that consecutive snapshots share nodes and queues and sessions patch their books.
    private static readonly Gen<Op> GenWorkloadOp = Gen.Select(
        Gen.OneOf(OpKind.Pod, OpKind.Pod, OpKind.Pod, OpKind.PodStatus, OpKind.PodStatus, OpKind.PodCondition, OpKind.PodCondition, OpKind.DeletePod, OpKind.Group, OpKind.DeleteGroup, OpKind.BindRequest, OpKind.DeleteBindRequest, OpKind.Sync, OpKind.Sync, OpKind.Sync, OpKind.Node, OpKind.NodeStatus, OpKind.NodeStatus),
        Gen.Int[0, 4],
        Gen.Int[0, 8],
        Gen.Int[0, 3],
        (kind, name, value, other) => new Op(kind, name, value, other));

    // Three schedulable 8-GPU nodes, a department q0 with leaf queues q1 and q2, and a group in each leaf.
    private static readonly Op[] Cluster =
    [
        new(OpKind.Node, 0, 8, 1), new(OpKind.Node, 1, 8, 1), new(OpKind.Node, 2, 8, 1),
        new(OpKind.Queue, 0, 8, 0), new(OpKind.Queue, 1, 8, 1), new(OpKind.Queue, 2, 8, 1),
        new(OpKind.Group, 0, 1, 0), new(OpKind.Group, 1, 2, 1), new(OpKind.Group, 2, 1, 3),
        new(OpKind.Sync, 0, 0, 0),
    ];

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Cache_AfterRandomChanges_EqualsACacheFilledFromScratch()
    {
        await GenOp.Array[0, 40].SampleAsync(RunAsync, iter: 200, threads: 1);
    }

    [Fact]
    public async Task Snapshot_CarriedOverAcrossRandomChanges_EqualsASnapshotBuiltFromScratch()
    {
        await GenOp.Array[0, 40].SampleAsync(RunSnapshotsAsync, iter: 200, threads: 1);
    }

    /// <summary>At every sync a snapshot is built from the previous one, as the scheduler does, and compared with one built from scratch.</summary>
    private static Task RunSnapshotsAsync(Op[] ops) => ReplayCarryingOverAsync(ops, (state, carried) =>
        Assert.Equal(DescribeSnapshot(SnapshotBuilder.Build(state)), DescribeSnapshot(carried)));

    [Fact]
    public async Task SessionBooks_PatchedAcrossRandomChangesAndCycles_EqualBooksChargedFromScratch()
    {
        await GenWorkloadOp.Array[0, 60].SampleAsync(ops => RunSessionsAsync([.. Cluster, .. ops]), iter: 200, threads: 1);
    }

    /// <summary>
    /// A pod write that changes nothing the engine reads (a condition, a bind request's status) keeps the pod's mapped
    /// object: at every sync the model equals that of a cache that copies the mapping on every write, the snapshots
    /// carried over from each cache's previous one equal each other and one built from scratch, and across the samples
    /// the keeping cache hands the snapshot more pods to carry over (it is not an equal path that never runs).
    /// </summary>
    [Fact]
    public async Task Cache_KeepingUnchangedMappings_EqualsTheCacheThatCopiesThem()
    {
        var moreCarried = 0;
        await GenWorkloadOp.Array[0, 60].SampleAsync(async ops => moreCarried += await RunKeepingAsync([.. Cluster, .. ops]), iter: 200, threads: 1);
        Assert.True(moreCarried >= 100, $"only {moreCarried} more pods carried over by the keeping cache");
    }

    /// <summary>
    /// A cache that walks its pods and its groups on two threads, and snapshots whose loops are split over two threads,
    /// equal the sequential ones: at every sync the same state (and where each pod stood before), and snapshots carried
    /// over from each one's previous snapshot equal each other and one built from scratch.
    /// </summary>
    [Fact]
    public async Task StateAndSnapshot_SplitOverTwoThreads_EqualTheSequentialOnes()
    {
        await GenWorkloadOp.Array[0, 60].SampleAsync(ops => RunSplitAsync([.. Cluster, .. ops]), iter: 200, threads: 1);
    }

    private static async Task RunSplitAsync(Op[] ops)
    {
        var everyLoop = new CoreSplit(minimumItems: 0, chunkItems: 1);
        var clock = new FakeTimeProvider(Now);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        using var split = await SchedulerCache.CreateAsync(cluster);
        using var sequential = await SchedulerCache.CreateAsync(cluster);
        split.Split = everyLoop;
        sequential.Split = CoreSplit.Sequential;
        ClusterSnapshot? splitBefore = null;
        ClusterSnapshot? sequentialBefore = null;
        foreach (var op in ops.Append(new Op(OpKind.Sync, 0, 0, 0)))
        {
            if (op.Kind != OpKind.Sync)
            {
                await ApplyAsync(cluster, op);
                continue;
            }

            split.Sync();
            sequential.Sync();
            var (splitState, sequentialState) = (split.BuildState(Now), sequential.BuildState(Now));
            Assert.Equal(Describe(sequentialState), Describe(splitState));
            Assert.Equal(sequentialState.PreviousPodIndex, splitState.PreviousPodIndex);
            var splitSnapshot = SnapshotBuilder.Build(splitState, splitBefore, everyLoop);
            var sequentialSnapshot = SnapshotBuilder.Build(sequentialState, sequentialBefore, CoreSplit.Sequential);
            Assert.Equal(DescribeSnapshot(sequentialSnapshot), DescribeSnapshot(splitSnapshot));
            Assert.Equal(DescribeSnapshot(SnapshotBuilder.Build(splitState)), DescribeSnapshot(splitSnapshot));
            (splitBefore, sequentialBefore) = (splitSnapshot, sequentialSnapshot);
        }
    }

    /// <summary>Replays the operations into two caches, one keeping unchanged mappings and one copying them; returns how many more pods the keeping one's snapshots carried over.</summary>
    private static async Task<int> RunKeepingAsync(Op[] ops)
    {
        var clock = new FakeTimeProvider(Now);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        using var keeping = await SchedulerCache.CreateAsync(cluster);
        using var copying = await SchedulerCache.CreateAsync(cluster);
        copying.KeepsUnchangedMappings = false;
        ClusterSnapshot? keptBefore = null;
        ClusterSnapshot? copiedBefore = null;
        var moreCarried = 0;
        foreach (var op in ops.Append(new Op(OpKind.Sync, 0, 0, 0)))
        {
            if (op.Kind != OpKind.Sync)
            {
                await ApplyAsync(cluster, op);
                continue;
            }

            keeping.Sync();
            copying.Sync();
            var kept = keeping.BuildState(Now);
            var copied = copying.BuildState(Now);
            Assert.Equal(Describe(copied), Describe(kept));
            var keptSnapshot = SnapshotBuilder.Build(kept, keptBefore);
            var copiedSnapshot = SnapshotBuilder.Build(copied, copiedBefore);
            Assert.Equal(DescribeSnapshot(SnapshotBuilder.Build(kept)), DescribeSnapshot(keptSnapshot));
            Assert.Equal(DescribeSnapshot(copiedSnapshot), DescribeSnapshot(keptSnapshot));
            var (keptCarried, copiedCarried) = (CarriedOver(kept, keptBefore), CarriedOver(copied, copiedBefore));
            Assert.True(keptCarried >= copiedCarried);
            moreCarried += keptCarried - copiedCarried;
            (keptBefore, copiedBefore) = (keptSnapshot, copiedSnapshot);
        }

        return moreCarried;
    }

    /// <summary>How many of the state's pods are the very objects the previous snapshot held at the index the state names.</summary>
    private static int CarriedOver(ClusterState state, ClusterSnapshot? previous)
    {
        if (previous is null || state.PreviousPodIndex is not { } index)
        {
            return 0;
        }

        return Enumerable.Range(0, state.Pods.Count).Count(p => index[p] >= 0 && index[p] < previous.Pods.Count && ReferenceEquals(previous.Pods[index[p]], state.Pods[p]));
    }

    /// <summary>
    /// At every sync, as the scheduler does: a snapshot carried over from the previous one, whose session's books are
    /// compared with those of a session over a snapshot built from scratch; then a cycle runs over it (its statements
    /// must stay in its session, never in the books the next snapshot patches).
    /// </summary>
    private static Task RunSessionsAsync(Op[] ops)
    {
        var engine = new SchedulingEngine(SchedulerConfiguration.Default, KaiPlugins.Registry);
        return ReplayCarryingOverAsync(ops, (state, carried) =>
        {
            Assert.Equal(DescribeBooks(engine.OpenSession(SnapshotBuilder.Build(state))), DescribeBooks(engine.OpenSession(carried)));
            engine.RunCycle(carried);
        });
    }

    /// <summary>
    /// Applies the operations to an embedded cluster; at every sync (and once at the end) builds the cache's state and
    /// a snapshot carried over from the previous sync's, as the scheduler does, and hands both to <paramref name="check"/>.
    /// </summary>
    private static async Task ReplayCarryingOverAsync(Op[] ops, Action<ClusterState, ClusterSnapshot> check)
    {
        var clock = new FakeTimeProvider(Now);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        using var cache = await SchedulerCache.CreateAsync(cluster);
        ClusterSnapshot? previous = null;
        foreach (var op in ops.Append(new Op(OpKind.Sync, 0, 0, 0)))
        {
            if (op.Kind != OpKind.Sync)
            {
                await ApplyAsync(cluster, op);
                continue;
            }

            cache.Sync();
            var state = cache.BuildState(Now);
            var carried = SnapshotBuilder.Build(state, previous);
            check(state, carried);
            previous = carried;
        }
    }

    /// <summary>A session's books as it opens: pods, nodes (shared GPUs too), gangs, queues.</summary>
    private static string DescribeBooks(Session session)
    {
        var text = new StringBuilder();
        var snapshot = session.Snapshot;
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"pod {p} {session.StatusOf(p)} on {session.NodeOf(p)} groups {string.Join(",", session.GpuGroupsOf(p).Select(g => g.Id))}\n");
        }

        foreach (var node in session.Nodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"node {node.Index} idle {node.Idle} releasing {node.Releasing} used {node.Used} pods {string.Join(",", node.Pods)}");
            text.Append(CultureInfo.InvariantCulture, $" shared {string.Join(",", node.SharedGpus.Select(g => $"{g.Id}:{g.RunningMemory}/{g.ReleasingMemory}/{g.PipelinedMemory}"))}\n");
        }

        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            var sets = Enumerable.Range(0, snapshot.PodSetsOf(g).Count).Select(s => $"{session.Gangs.ActiveAllocated(g, s)}/{session.Gangs.Pending(g, s)}");
            text.Append(CultureInfo.InvariantCulture, $"group {g} version {session.Gangs.Version(g)} sets {string.Join(",", sets)}\n");
        }

        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            text.Append(CultureInfo.InvariantCulture, $"queue {q} allocated {session.Queues.Allocated[q]} non-preemptible {session.Queues.AllocatedNonPreemptible[q]} requested {session.Queues.Requested[q]} share {session.Queues.FairShare[q]} version {session.Queues.Versions[q]}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"total {session.Queues.Total} free {session.SchedulableFree} min GPU memory {session.MinGpuMemoryMiB}\n");
        return text.ToString();
    }

    /// <summary>Every link of a snapshot, in index order (pods, groups, pod sets, trees, lookups, issues).</summary>
    private static string DescribeSnapshot(ClusterSnapshot snapshot)
    {
        var text = new StringBuilder();
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"pod {snapshot.Pods[p].Key} node {snapshot.NodeOf(p)} group {snapshot.GroupOf(p)} set {snapshot.PodSetIndexOf(p)}\n");
        }

        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            var group = snapshot.Groups[g];
            text.Append(CultureInfo.InvariantCulture, $"group {group.Key} queue {snapshot.QueueOf(g)} found {snapshot.FindGroup(group.Key)} members {string.Join(",", snapshot.MembersOf(g))} tree {snapshot.SubGroupTreeOf(g) is not null}\n");
            foreach (var set in snapshot.PodSetsOf(g))
            {
                text.Append(CultureInfo.InvariantCulture, $"  set {set.Name} min {set.MinAvailable} members {string.Join(",", set.Members)}\n");
            }
        }

        for (var n = 0; n < snapshot.Nodes.Count; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"node {snapshot.Nodes[n].Name} found {snapshot.FindNode(snapshot.Nodes[n].Name)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"missing group found {snapshot.FindGroup("ml", "none")} affinity {snapshot.AnyPodScoresOthers} {snapshot.AnyPodRequiresAntiAffinity}\n");
        foreach (var issue in snapshot.Issues)
        {
            text.Append(issue).Append('\n');
        }

        return text.ToString();
    }

    private static async Task RunAsync(Op[] ops)
    {
        var clock = new FakeTimeProvider(Now);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        using var incremental = await SchedulerCache.CreateAsync(cluster);
        foreach (var op in ops)
        {
            if (op.Kind == OpKind.Sync)
            {
                incremental.Sync();
            }
            else
            {
                await ApplyAsync(cluster, op);
            }
        }

        incremental.Sync();
        using var fresh = await SchedulerCache.CreateAsync(cluster);

        var state = incremental.BuildState(Now);
        Assert.Equal(Describe(fresh.BuildState(Now)), Describe(state));

        // Kept in the snapshot's order across changes, so that snapshots need not sort them.
        Assert.Equal(state.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal), state.Nodes.Select(n => n.Name));
        Assert.Equal(state.PodGroups.OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Key), state.PodGroups.Select(g => g.Key));
        Assert.Equal(fresh.Issues.Select(i => i.ToString()).Order(StringComparer.Ordinal), incremental.Issues.Select(i => i.ToString()).Order(StringComparer.Ordinal));
    }

    private static async Task ApplyAsync(EmbeddedCluster cluster, Op op)
    {
        var n = op.Name.ToString(CultureInfo.InvariantCulture);
        switch (op.Kind)
        {
            case OpKind.Node:
                await UpsertAsync(cluster, Node("n" + n, op.Value, op.Other == 0));
                break;
            case OpKind.NodeStatus:
                await UpdateNodeAsync(cluster, "n" + n, op.Value, op.Other);
                break;
            case OpKind.DeleteNode:
                await DeleteAsync<V1Node>(cluster, null, "n" + n);
                break;
            case OpKind.Queue:
                await UpsertAsync(cluster, Queue("q" + n, op.Other == 0 || op.Name == 0 ? null : "q0", op.Value));
                break;
            case OpKind.DeleteQueue:
                await DeleteAsync<Queue>(cluster, null, "q" + n);
                break;
            case OpKind.Group:
                await UpsertAsync(cluster, Group("g" + n, "q" + (op.Value % 3).ToString(CultureInfo.InvariantCulture), 1 + op.Other, op.Other switch { 0 => "train", 1 => "inference", 2 => "missing", _ => null }));
                break;
            case OpKind.DeleteGroup:
                await DeleteAsync<PodGroup>(cluster, "ml", "g" + n);
                break;
            case OpKind.Pod:
                await UpsertAsync(cluster, Pod("p" + n, "g" + (op.Other % 3).ToString(CultureInfo.InvariantCulture), op.Value % 5, op.Other == 3 ? "n" + n : null, op.Value == 8 ? "0.5" : null));
                break;
            case OpKind.PodStatus:
                if (await cluster.GetAsync<V1Pod>("ml", "p" + n) is { } pod)
                {
                    var phase = op.Value switch { < 3 => "Pending", < 6 => "Running", 6 => "Succeeded", _ => "Failed" };
                    await cluster.ReplaceStatusAsync(pod with { Status = (pod.Status ?? new V1PodStatus()) with { Phase = phase } });
                }

                break;
            case OpKind.PodCondition:
                await WritePodConditionAsync(cluster, "p" + n, op.Value, op.Other);
                break;
            case OpKind.DeletePod:
                await DeleteAsync<V1Pod>(cluster, "ml", "p" + n, grace: op.Other == 0 ? 30 : 0);
                break;
            case OpKind.PriorityClass:
                await UpsertAsync(cluster, new V1PriorityClass { ApiVersion = "scheduling.k8s.io/v1", Kind = "PriorityClass", Metadata = new V1ObjectMeta { Name = op.Other < 2 ? "train" : "inference" }, Value = 10 * op.Value });
                break;
            case OpKind.BindRequest:
                await UpsertAsync(cluster, new BindRequest
                {
                    Metadata = new V1ObjectMeta { Name = "p" + n, NamespaceProperty = "ml" },
                    Spec = new BindRequestSpec { PodName = "p" + n, SelectedNode = "n" + (op.Value % 3).ToString(CultureInfo.InvariantCulture), SelectedGPUGroups = op.Other == 1 ? ["g-" + n] : null },
                    Status = op.Other == 2 ? new BindRequestStatus { Phase = BindRequestStatus.PhaseFailed } : null,
                });
                break;
            case OpKind.DeleteBindRequest:
                await DeleteAsync<BindRequest>(cluster, "ml", "p" + n);
                break;
        }
    }

    /// <summary>
    /// A kubelet's status update (<paramref name="kind"/> 0 and 1: only the heartbeat times, which the engine does not
    /// read) or a real change of the node: 2 its allocatable GPUs (even values) or CPUs (odd values), 3 its Ready condition (even values) or its GPU
    /// memory label (odd values).
    /// </summary>
    private static async Task UpdateNodeAsync(EmbeddedCluster cluster, string name, int value, int kind)
    {
        if (await cluster.GetAsync<V1Node>(null, name) is not { } node)
        {
            return;
        }

        var status = node.Status ?? new V1NodeStatus();
        var beat = Now.UtcDateTime.AddSeconds(value + 1);
        var conditions = (status.Conditions is { Count: > 0 } c ? c : [new V1NodeCondition { Type = "Ready", Status = "True" }])
            .Select(c => c with { LastHeartbeatTime = beat, Status = kind == 3 && value % 2 == 0 && c.Type == "Ready" ? (c.Status == "True" ? "False" : "True") : c.Status })
            .ToList();
        var allocatable = kind == 2
            ? new Dictionary<string, ResourceQuantity>(status.Allocatable ?? new Dictionary<string, ResourceQuantity>()) { [value % 2 == 0 ? "nvidia.com/gpu" : "cpu"] = new(value.ToString(CultureInfo.InvariantCulture)) }
            : status.Allocatable;
        await cluster.ReplaceStatusAsync(node with { Status = status with { Conditions = conditions, Allocatable = allocatable } });
        if (kind == 3 && value % 2 == 1 && await cluster.GetAsync<V1Node>(null, name) is { } current)
        {
            var labels = new Dictionary<string, string>(current.Metadata.Labels ?? new Dictionary<string, string>()) { ["nvidia.com/gpu.memory"] = (value * 10000).ToString(CultureInfo.InvariantCulture) };
            await cluster.ReplaceAsync(current with { Metadata = current.Metadata with { Labels = labels } });
        }
    }

    /// <summary>
    /// A status write that leaves the phase alone: a scheduling condition the engine does not read (values below 5), or
    /// the nominated node set (5 and 6) or cleared (7 and 8).
    /// </summary>
    private static async Task WritePodConditionAsync(EmbeddedCluster cluster, string name, int value, int other)
    {
        if (await cluster.GetAsync<V1Pod>("ml", name) is not { } pod)
        {
            return;
        }

        var status = pod.Status ?? new V1PodStatus();
        var condition = new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "try " + value.ToString(CultureInfo.InvariantCulture) };
        var written = value switch
        {
            < 5 => status with { Conditions = [condition] },
            < 7 => status with { NominatedNodeName = "n" + other.ToString(CultureInfo.InvariantCulture) },
            _ => status with { NominatedNodeName = null },
        };
        await cluster.ReplaceStatusAsync(pod with { Status = written });
    }

    private static async Task UpsertAsync<T>(EmbeddedCluster cluster, T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (await cluster.GetAsync<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name) is { } current)
        {
            obj.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            obj.Metadata.Uid = current.Metadata.Uid;
            try
            {
                await cluster.ReplaceAsync(obj);
            }
            catch (ClusterException)
            {
                // A pod being deleted, or a change the store refuses: the model must follow what the store holds.
            }
        }
        else
        {
            await cluster.CreateAsync(obj);
        }
    }

    private static async Task DeleteAsync<T>(EmbeddedCluster cluster, string? ns, string name, long? grace = 0)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await cluster.DeleteAsync<T>(ns, name, grace);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            // Nothing to delete.
        }
    }

    private static V1Node Node(string name, int gpus, bool unschedulable) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { Unschedulable = unschedulable },
        Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["nvidia.com/gpu"] = new(gpus.ToString(CultureInfo.InvariantCulture)) } },
    };

    private static Queue Queue(string name, string? parent, int quota) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new QueueSpec { ParentQueue = parent, Resources = new QueueResources { Gpu = new QueueResource { Quota = quota, Limit = -1, OverQuotaWeight = 1 } } },
    };

    private static PodGroup Group(string name, string queue, int minMember, string? priorityClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml" },
        Spec = new PodGroupSpec
        {
            MinMember = minMember,
            Queue = queue,
            PriorityClassName = priorityClass,
            // Some groups have two sub-groups, so that pods join pod sets (or name a sub-group that does not exist).
            SubGroups = minMember % 2 == 0 ? [new SubGroup { Name = "a", MinMember = 1 }, new SubGroup { Name = "b", MinMember = 2 }] : null,
        },
    };

    private static V1Pod Pod(string name, string group, int gpus, string? node, string? fraction)
    {
        var annotations = new Dictionary<string, string> { [KaiConventions.PodGroupAnnotation] = group };
        if (fraction is not null)
        {
            annotations[KaiConventions.GpuFractionAnnotation] = fraction;
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ml", Annotations = annotations, Labels = SubGroupLabels(gpus) },
            Spec = new V1PodSpec
            {
                SchedulerName = KaiConventions.SchedulerName,
                NodeName = node,
                Containers = [new V1Container { Name = "main", Image = "x", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(CultureInfo.InvariantCulture)) } } }],
            },
            Status = new V1PodStatus { Phase = node is null ? "Pending" : "Running" },
        };
    }

    /// <summary>The queue label, and for some pods a sub-group label (one of them a sub-group no group defines).</summary>
    private static Dictionary<string, string> SubGroupLabels(int variant)
    {
        var labels = new Dictionary<string, string> { [KaiConventions.QueueLabel] = "q0" };
        if (variant is >= 1 and <= 3)
        {
            labels[KaiConventions.SubGroupLabel] = variant switch { 1 => "a", 2 => "b", _ => "zz" };
        }

        return labels;
    }

    /// <summary>Every public property, recursively, as text; collections in order, objects of a set (nodes, pods…) sorted.</summary>
    private static string Describe(object? value, int depth = 0)
    {
        if (value is null)
        {
            return "null";
        }

        var type = value.GetType();
        if (depth > 8 || type.IsPrimitive || type.IsEnum || value is string or decimal or DateTimeOffset or DateTime or TimeSpan)
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        if (value is IEnumerable items)
        {
            var described = items.Cast<object?>().Select(i => Describe(i, depth + 1)).ToList();
            if (depth <= 1)
            {
                described.Sort(StringComparer.Ordinal);
            }

            return "[" + string.Join(", ", described) + "]";
        }

        var text = new StringBuilder("{");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != nameof(ClusterState.PreviousPodIndex)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.Append(property.Name).Append('=').Append(Describe(property.GetValue(value), depth + 1)).Append("; ");
        }

        return text.Append('}').ToString();
    }
}
