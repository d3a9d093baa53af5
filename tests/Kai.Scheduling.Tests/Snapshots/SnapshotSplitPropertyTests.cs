using System.Globalization;
using System.Text;
using CsCheck;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Properties;

namespace Kai.Scheduling.Tests.Snapshots;

/// <summary>
/// The snapshot builder splits its per-pod and per-group loops over two threads (<see cref="CoreSplit"/>), each chunk
/// writing only its own indices: on random worlds (with pods naming missing groups and sub-groups, groups in non-leaf
/// queues, with sub-groups and too few pods, so that every kind of issue is found in some chunk), built from scratch and
/// carried over from a previous snapshot, the split build equals the sequential one link by link and issue by issue,
/// and a cycle over either decides the same.
/// </summary>
public sealed class SnapshotSplitPropertyTests
{
    /// <summary>Every loop split, into as many chunks as it has items (up to 16): a small world's boundaries everywhere.</summary>
    private static readonly CoreSplit EveryLoop = new(minimumItems: 0, chunkItems: 1);

    private static readonly Gen<(RandomWorld World, int[] PodDice, int[] GroupDice)> WorldGen =
        Gen.Select(RandomWorld.Gen(withReleasing: true), Gen.Int[0, 11].Array[64], Gen.Int[0, 7].Array[16]);

    [Fact]
    public void Build_WithEveryLoopSplit_EqualsTheSequentialBuild()
    {
        WorldGen.Sample(
            (world, podDice, groupDice) =>
            {
                var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                foreach (var topology in new[] { true, false })
                {
                    var state = Mangle(world.State, podDice, groupDice, topology);
                    var sequential = SnapshotBuilder.Build(state, null, CoreSplit.Sequential);
                    var split = SnapshotBuilder.Build(state, null, EveryLoop);
                    Assert.Equal(Describe(sequential), Describe(split));
                    Assert.Equal(engine.RunCycle(sequential).Decisions, engine.RunCycle(split).Decisions);
                }
            },
            iter: 300);
    }

    [Fact]
    public void Build_CarriedOverWithEveryLoopSplit_EqualsTheSequentialBuildAndOneFromScratch()
    {
        WorldGen.Sample(
            (world, podDice, groupDice) =>
            {
                var first = SnapshotBuilder.Build(world.State, null, CoreSplit.Sequential);
                foreach (var topology in new[] { true, false })
                {
                    var next = Successor(world.State, podDice, groupDice, topology);
                    var sequential = SnapshotBuilder.Build(next, first, CoreSplit.Sequential);
                    var split = SnapshotBuilder.Build(next, first, EveryLoop);
                    Assert.Equal(Describe(sequential), Describe(split));
                    Assert.Equal(Describe(SnapshotBuilder.Build(next with { PreviousPodIndex = null }, null, CoreSplit.Sequential)), Describe(split));
                    var engine = new SchedulingEngine(world.Configuration, KaiPlugins.Registry);
                    Assert.Equal(engine.RunCycle(sequential).Decisions, engine.RunCycle(split).Decisions);
                }
            },
            iter: 300);
    }

    /// <summary>
    /// The world's state with, by the dice: pending pods naming a missing group or a sub-group (known or not), pods left out
    /// (their gangs may fall below their minimum), groups in a department (not a leaf) or with two sub-groups (with
    /// <paramref name="topology"/>, one of them under a topology, so that the group gets a sub-group tree: the state is
    /// then for comparing snapshots only, since the cycle's placement of sharing pods in such trees throws on these worlds).
    /// </summary>
    private static ClusterState Mangle(ClusterState state, int[] podDice, int[] groupDice, bool topology)
    {
        var pods = new List<Pod>();
        for (var p = 0; p < state.Pods.Count; p++)
        {
            var pod = state.Pods[p];
            // Only pending pods: a running pod let go of by its group is a state the engine does not expect.
            switch (pod.Status is PodStatus.Pending ? podDice[p % podDice.Length] : -1)
            {
                case 0:
                    pods.Add(pod with { GroupName = "missing" });
                    break;
                case 1 or 2 or 3:
                    pods.Add(pod with { SubGroupName = podDice[p % podDice.Length] switch { 1 => "a", 2 => "b", _ => "zz" } });
                    break;
                case 4:
                    break;
                default:
                    pods.Add(pod);
                    break;
            }
        }

        var groups = state.PodGroups.Select((g, i) => groupDice[i % groupDice.Length] switch
        {
            0 => Regrouped(g, "dept0", g.SubGroups),
            1 => Regrouped(g, g.QueueName, [new SubGroup("a", 1), new SubGroup("b", 2)]),
            2 => Regrouped(g, g.QueueName, [new SubGroup("top", 0), new SubGroup("a", 1, "top", topology ? new TopologyConstraint("rack") : null), new SubGroup("b", 1, "top")]),
            _ => g,
        }).ToList();
        return state with { Pods = pods, PodGroups = groups };
    }

    /// <summary>
    /// A next state as a cache hands it over: the mangled pods, of which those the dice leave alone are the very objects of
    /// <paramref name="state"/> (carried over), the others copies; in another order (the first pods moved to the end),
    /// with where each pod stood before.
    /// </summary>
    private static ClusterState Successor(ClusterState state, int[] podDice, int[] groupDice, bool topology)
    {
        var mangled = Mangle(state, podDice, groupDice, topology);
        var before = state.Pods.Select((pod, index) => (pod, index)).ToDictionary(x => x.pod.Key, x => (x.pod, x.index));
        var rotate = mangled.Pods.Count == 0 ? 0 : podDice[0] % mangled.Pods.Count;
        var pods = mangled.Pods.Skip(rotate).Concat(mangled.Pods.Take(rotate)).ToList();
        var previousIndex = pods.Select(pod => before.TryGetValue(pod.Key, out var was) && ReferenceEquals(was.pod, pod) ? was.index : -1).ToArray();
        return mangled with { Pods = pods, PreviousPodIndex = previousIndex };
    }

    private static PodGroup Regrouped(PodGroup group, string queue, IReadOnlyList<SubGroup> subGroups) => new()
    {
        Namespace = group.Namespace,
        Name = group.Name,
        Uid = group.Uid,
        QueueName = queue,
        Priority = group.Priority,
        Preemptible = group.Preemptible,
        MinMember = group.MinMember,
        CreationTimestamp = group.CreationTimestamp,
        SubGroups = subGroups,
    };

    /// <summary>Every field of the snapshot's links, in index order, and its issues in order.</summary>
    internal static string Describe(ClusterSnapshot snapshot)
    {
        var links = snapshot.Links;
        var text = new StringBuilder();
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"pod {p} {snapshot.Pods[p].Key} node {links.PodNode[p]} group {links.PodGroup[p]} set {links.PodPodSet[p]} affinity {links.PodAffinity[p]}\n");
        }

        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            text.Append(CultureInfo.InvariantCulture, $"group {g} {snapshot.Groups[g].Key} queue {links.GroupQueue[g]} linked {string.Join(",", links.LinkedMembers[g])} members {string.Join(",", links.GroupMembers[g])}");
            text.Append(CultureInfo.InvariantCulture, $" tree {DescribeTree(links.GroupTrees[g])} issues {string.Join(" | ", links.GroupIssues[g] ?? [])}\n");
            foreach (var set in links.GroupPodSets[g])
            {
                text.Append(CultureInfo.InvariantCulture, $"  set {set.Name} min {set.MinAvailable} topology {set.Topology} members {string.Join(",", set.Members)}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"sorted {string.Join(",", links.SortedGroups.Select(g => g.Key))} affinity {links.AffinityCounts}\n");
        text.Append(CultureInfo.InvariantCulture, $"nodes {string.Join(",", links.NodeByName.OrderBy(e => e.Value).Select(e => $"{e.Key}={e.Value}"))}\n");
        text.Append(CultureInfo.InvariantCulture, $"queues {string.Join(",", links.QueueByName.OrderBy(e => e.Value).Select(e => $"{e.Key}={e.Value}"))} parents {string.Join(",", links.QueueParent)} top {string.Join(",", links.TopLevelQueues)}\n");
        foreach (var issue in snapshot.Issues)
        {
            text.Append(issue).Append('\n');
        }

        return text.ToString();
    }

    private static string DescribeTree(SubGroupSet? set) =>
        set is null ? "-" : $"({set.Name} {set.Topology} sets [{string.Join(",", set.PodSets)}] all [{string.Join(",", set.AllPodSets)}] {string.Join(" ", set.Sets.Select(DescribeTree))})";
}
