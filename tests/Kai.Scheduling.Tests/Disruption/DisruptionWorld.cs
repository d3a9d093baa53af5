using System.Globalization;
using System.Text;
using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>A generated queue: GPU quota and limit (-1 unlimited), over-quota weight, priority, min-runtimes in seconds (-1 = unset).</summary>
internal sealed record WorldQueue(int Quota, int Limit, int Weight, int Priority, int PreemptSeconds, int ReclaimSeconds);

/// <summary>
/// A generated gang: leaf (index modulo the leaves), pod count, GPUs per pod (0 = a 2-CPU pod), minimum
/// (clamped to the pods), priority, initial state (0 pending, 1 all running, 2 minimum running, 3 one pod
/// below the minimum running), minutes since it started (-1 never), and whether its pods need pool=a nodes.
/// </summary>
internal sealed record WorldGroup(int Leaf, int Pods, int Gpus, int MinMember, int Priority, int State, int StartedMinutesAgo, bool Pinned);

/// <summary>A generated node: GPUs, whether it is in pool a, whether it is cordoned.</summary>
internal sealed record WorldNode(int Gpus, bool PoolA, bool Cordoned);

/// <summary>
/// A random full cluster with pending work for the disruption properties: GPU nodes (some in pool a, a few
/// cordoned), a two-level queue tree (departments and leaves) with random GPU quotas, limits and weights
/// including -1 and 0, queue priorities and min-runtimes; gangs of 1-5 pods, elastic ones among them, with
/// priorities 50/75/100/125, some running (placed first-fit, so no node starts over-committed), some only at
/// their minimum, a few below it (stale), the rest pending; a random scheduler configuration.
/// </summary>
internal sealed class DisruptionWorld
{
    private DisruptionWorld(ClusterState state, SchedulerConfiguration configuration, string description)
    {
        State = state;
        Configuration = configuration;
        Description = description;
    }

    public ClusterState State { get; }

    public SchedulerConfiguration Configuration { get; }

    public string Description { get; }

    public override string ToString() => Description;

    /// <param name="timeBased">
    /// Whether min-runtimes and stale-gang eviction may be on. Without them the outcome of a cycle depends on
    /// the cluster only, not on the clock (needed to test that a settled cluster stays settled).
    /// </param>
    public static Gen<DisruptionWorld> Gen(bool timeBased = true) =>
        from nodes in NodeGen.Array[1, 5]
        from departments in DepartmentGen(timeBased).Array[1, 3]
        from groups in GroupGen(timeBased).Array[2, 14]
        from configuration in ConfigurationGen(timeBased)
        from scatter in CsCheck.Gen.Bool
        select Build(nodes, departments, groups, configuration, scatter);

    /// <summary>
    /// Worlds made for consolidation: 2-4 nodes of 4 or 8 GPUs, one open department with one or two leaves, many
    /// 1-GPU preemptible pods scattered over the nodes, and a few pending preemptible groups with 2- or 4-GPU pods.
    /// </summary>
    public static Gen<DisruptionWorld> FragmentedGen() =>
        from nodes in CsCheck.Gen.OneOf(4, 8).Select(g => new WorldNode(g, true, false)).Array[2, 4]
        from leaves in CsCheck.Gen.Int[1, 2]
        from running in (from leaf in CsCheck.Gen.Int[0, 1]
                         from priority in CsCheck.Gen.OneOf(50, 75, 100)
                         from pods in CsCheck.Gen.Int[1, 2]
                         select new WorldGroup(leaf, pods, 1, pods, priority, 1, -1, false)).Array[3, 12]
        from pending in (from leaf in CsCheck.Gen.Int[0, 1]
                         from priority in CsCheck.Gen.OneOf(50, 75)
                         from gpus in CsCheck.Gen.OneOf(2, 4)
                         from pods in CsCheck.Gen.Int[1, 2]
                         select new WorldGroup(leaf, pods, gpus, pods, priority, 0, -1, false)).Array[1, 3]
        from configuration in ConfigurationGen(timeBased: false)
        from max in CsCheck.Gen.OneOf(1, 2, 16)
        let open = new WorldQueue(-1, -1, 1, 100, -1, -1)
        select Build(nodes, [(open, [.. Enumerable.Repeat(open, leaves)])], [.. running, .. pending], configuration with { MaxConsolidationPreemptees = max }, scatter: true);

    private static readonly Gen<WorldNode> NodeGen =
        from gpus in CsCheck.Gen.OneOf(2, 4, 4, 8)
        from pool in CsCheck.Gen.Int[0, 3]
        from cordoned in CsCheck.Gen.Int[0, 11]
        select new WorldNode(gpus, pool == 0, cordoned == 0);

    private static Gen<WorldQueue> QueueGen(bool timeBased) =>
        from quota in CsCheck.Gen.OneOf(-1, 0, 1, 2, 4, 8)
        from limitKind in CsCheck.Gen.Int[0, 9]
        from limit in CsCheck.Gen.Int[2, 16]
        from weight in CsCheck.Gen.Int[0, 3]
        from priority in CsCheck.Gen.OneOf(100, 100, 100, 200)
        from preempt in CsCheck.Gen.OneOf(-1, -1, -1, 0, 60, 300)
        from reclaim in CsCheck.Gen.OneOf(-1, -1, -1, 0, 60, 300)
        select new WorldQueue(quota, limitKind switch { <= 6 => -1, 7 => 0, _ => Math.Max(limit, quota) }, weight, priority,
            timeBased ? preempt : -1, timeBased ? reclaim : -1);

    private static Gen<(WorldQueue Department, WorldQueue[] Leaves)> DepartmentGen(bool timeBased) =>
        from department in QueueGen(timeBased)
        from leaves in QueueGen(timeBased).Array[1, 3]
        select (department, leaves);

    private static Gen<WorldGroup> GroupGen(bool timeBased) =>
        from leaf in CsCheck.Gen.Int[0, 8]
        from pods in CsCheck.Gen.Int[1, 5]
        from gpus in CsCheck.Gen.OneOf(0, 1, 1, 1, 2, 4)
        from minMember in CsCheck.Gen.Int[1, 5]
        from priority in CsCheck.Gen.OneOf(50, 75, 100, 125)
        from state in CsCheck.Gen.OneOf(0, 0, 0, 1, 1, 1, 2, 3)
        from started in CsCheck.Gen.OneOf(-1, 1, 1, 3, 20)
        from pinned in CsCheck.Gen.Int[0, 5]
        select new WorldGroup(leaf, pods, gpus, Math.Min(minMember, pods), priority, state, timeBased ? started : -1, pinned == 0);

    private static Gen<SchedulerConfiguration> ConfigurationGen(bool timeBased) =>
        from preempt in CsCheck.Gen.OneOf(0, 0, 120)
        from reclaim in CsCheck.Gen.OneOf(0, 0, 120)
        from byQueue in CsCheck.Gen.Bool
        from multiplier in CsCheck.Gen.OneOf(1.0, 1.0, 1.5)
        from consolidation in CsCheck.Gen.OneOf(0, 1, 2, 16)
        from grace in CsCheck.Gen.OneOf(-1, 0, 60)
        from consolidatingReclaim in CsCheck.Gen.Bool
        from spread in CsCheck.Gen.Int[0, 4]
        select (SchedulerConfiguration.Default with
        {
            MaxConsolidationPreemptees = consolidation,
            StalenessGracePeriod = TimeSpan.FromSeconds(timeBased ? grace : -1),
            AllowConsolidatingReclaim = consolidatingReclaim,
        })
        .WithMinRuntime(new MinRuntimeOptions
        {
            PreemptMinRuntime = TimeSpan.FromSeconds(timeBased ? preempt : 0),
            ReclaimMinRuntime = TimeSpan.FromSeconds(timeBased ? reclaim : 0),
            ReclaimResolveMethod = byQueue ? MinRuntimeResolveMethod.Queue : MinRuntimeResolveMethod.Lca,
        })
        .WithProportion(new ProportionOptions { ReclaimerSaturationMultiplier = multiplier })
        .WithPlacement(new NodePlacementOptions { Gpu = spread == 0 ? PlacementStrategy.Spread : PlacementStrategy.Binpack });

    /// <param name="scatter">Put running pods on the node with the most free GPUs (fragmenting them) instead of the first that fits.</param>
    private static DisruptionWorld Build(WorldNode[] nodeSpecs, (WorldQueue Department, WorldQueue[] Leaves)[] departments, WorldGroup[] groupSpecs, SchedulerConfiguration configuration, bool scatter)
    {
        var text = new StringBuilder();
        text.AppendLine(Describe(configuration) + (scatter ? ", running pods scattered" : ", running pods packed"));
        var nodes = new List<Node>();
        for (var i = 0; i < nodeSpecs.Length; i++)
        {
            var spec = nodeSpecs[i];
            var node = A.Node($"n{i}").Gpus(spec.Gpus).Cpu("16").Memory("64Gi").MaxPods(20);
            node = spec.PoolA ? node.Label("pool", "a") : node;
            node = spec.Cordoned ? node.Cordoned() : node;
            nodes.Add(node.Build());
            text.AppendLine(CultureInfo.InvariantCulture, $"node n{i} {spec}");
        }

        var queues = new List<Queue>();
        var leaves = new List<string>();
        for (var d = 0; d < departments.Length; d++)
        {
            var (department, leafSpecs) = departments[d];
            queues.Add(Queue($"d{d}", null, department));
            text.AppendLine(CultureInfo.InvariantCulture, $"queue d{d} {department}");
            for (var l = 0; l < leafSpecs.Length; l++)
            {
                var name = $"l{d}{l}";
                queues.Add(Queue(name, $"d{d}", leafSpecs[l]));
                leaves.Add(name);
                text.AppendLine(CultureInfo.InvariantCulture, $"queue {name} < d{d} {leafSpecs[l]}");
            }
        }

        var free = nodes.Select(n => n.Allocatable).ToArray();
        var groups = new List<PodGroup>();
        var pods = new List<Pod>();
        for (var g = 0; g < groupSpecs.Length; g++)
        {
            var spec = groupSpecs[g];
            var leaf = leaves[spec.Leaf % leaves.Count];
            var running = spec.State switch
            {
                1 => spec.Pods,
                2 => spec.MinMember,
                3 => spec.MinMember - 1,
                _ => 0,
            };
            var request = spec.Gpus == 0 ? new ResourceVector(2000, 4 * Quantity.Gi, 0, 1) : new ResourceVector(500, Quantity.Gi, spec.Gpus * 1000L, 1);
            var builder = A.PodGroup($"g{g:00}").InQueue(leaf).MinMember(spec.MinMember).Priority(spec.Priority).Created(A.MinutesAgo(200 - g));
            text.AppendLine(CultureInfo.InvariantCulture, $"group g{g:00} {leaf} {spec}");
            var placed = 0;
            for (var p = 0; p < spec.Pods; p++)
            {
                var node = p < running ? Fit(nodes, free, request, spec.Pinned, offset: g + p, scatter) : -1;
                if (node >= 0)
                {
                    free[node] -= request;
                    placed++;
                }

                builder.Pod($"g{g:00}-{p}", b =>
                {
                    var pod = b.Requests(request.Cpu, request.Memory, request.Gpu);
                    pod = spec.Pinned ? pod.NodeSelector("pool", "a") : pod;
                    return node >= 0 ? pod.Running(nodes[node].Name) : pod;
                });
                text.AppendLine(CultureInfo.InvariantCulture, $"  pod g{g:00}-{p} {(node >= 0 ? "running on " + nodes[node].Name : "pending")}");
            }

            var group = builder.Build();
            if (placed > 0 && spec.StartedMinutesAgo >= 0)
            {
                group = group.WithStamps(A.MinutesAgo(spec.StartedMinutesAgo), null);
            }

            groups.Add(group);
            pods.AddRange(builder.BuildPods());
        }

        var state = new ClusterState(nodes, pods, groups, queues, A.Now, new ResourceCatalog());
        return new DisruptionWorld(state, configuration, text.ToString());
    }

    /// <summary>The first node (from an offset) where the pod fits, or with <paramref name="scatter"/> the one with the most free GPUs.</summary>
    private static int Fit(List<Node> nodes, ResourceVector[] free, ResourceVector request, bool pinned, int offset, bool scatter)
    {
        var best = -1;
        for (var i = 0; i < free.Length; i++)
        {
            var n = (i + offset) % free.Length;
            if (request.FitsIn(free[n]) && !nodes[n].Unschedulable && (!pinned || nodes[n].Labels.ContainsKey("pool")))
            {
                if (!scatter)
                {
                    return n;
                }

                if (best < 0 || free[n].Gpu > free[best].Gpu)
                {
                    best = n;
                }
            }
        }

        return best;
    }

    private static Queue Queue(string name, string? parent, WorldQueue spec)
    {
        var builder = A.Queue(name).Priority(spec.Priority).Gpu(quota: spec.Quota, limit: spec.Limit, weight: spec.Weight);
        var queue = (parent is null ? builder : builder.Parent(parent)).Build();
        return queue.WithMinRuntimes(
            spec.PreemptSeconds >= 0 ? TimeSpan.FromSeconds(spec.PreemptSeconds) : null,
            spec.ReclaimSeconds >= 0 ? TimeSpan.FromSeconds(spec.ReclaimSeconds) : null);
    }

    private static string Describe(SchedulerConfiguration c) =>
        $"config: minruntime preempt={c.MinRuntime().PreemptMinRuntime.TotalSeconds}s reclaim={c.MinRuntime().ReclaimMinRuntime.TotalSeconds}s by {c.MinRuntime().ReclaimResolveMethod}, " +
        $"multiplier={c.Proportion().ReclaimerSaturationMultiplier}, consolidation max={c.MaxConsolidationPreemptees}, grace={c.StalenessGracePeriod.TotalSeconds}s, " +
        $"consolidatingReclaim={c.AllowConsolidatingReclaim}, gpu placement={c.Placement().Gpu}";
}
