using System.Text;
using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>One generated node: GPUs, CPU, memory, pod slots, a taint (0 NoSchedule, 1 PreferNoSchedule, else none), health, GPU memory in MiB (0: not published).</summary>
internal sealed record NodeSpec(int Gpus, int CpuCores, int MemoryGi, int MaxPods, int Taint, bool Ready, bool Cordoned, int GpuMemory = 0);

/// <summary>
/// One generated pod: request, initial state (0-1 running, 2 releasing, else pending) and whether it tolerates taints;
/// a share of <see cref="Devices"/> GPUs in hundredths (0: whole GPUs or none), by GPU memory (160 MiB a hundredth) or by fraction.
/// </summary>
internal sealed record PodSpec(int Gpus, int CpuMilli, int MemoryGi, int State, bool Tolerates, int Share = 0, int Devices = 1, bool ByMemory = false, bool HostPort = false);

/// <summary>GPU and CPU settings of a generated queue: quota and limit in GPUs / cores, -1 unlimited.</summary>
internal sealed record QueueSpec(int GpuQuota, int GpuLimit, int Weight, int CpuLimit);

/// <summary>A generated gang: its leaf queue (index modulo the leaves), pods, minMember (clamped) and priority.</summary>
/// <param name="Node">The node its running pods are put on where they fit (-1: the first where they fit, from an offset).</param>
internal sealed record GroupSpec(int Leaf, PodSpec[] Pods, int MinMember, int Priority, int Node = -1);

/// <summary>
/// A gang's inter-pod terms in <see cref="RandomWorld.AffinityChainGen"/>: its pods carry the labels <c>app=g{index}</c> and
/// <c>wave={Wave}</c>; they require a pod matching <see cref="Requires"/> in the node's domain, and none matching
/// <see cref="Refuses"/> (null: no such term); the domain is the node, or with <see cref="ByZone"/> its zone.
/// </summary>
internal sealed record AffinitySpec(string Wave, string? Requires, string? Refuses, bool ByZone);

/// <summary>
/// A random cluster for property tests: nodes with 0–8 GPUs, random CPU and memory, some taints, some not
/// ready or cordoned; a two-level queue tree with random quotas and limits (including -1 and 0); gangs of
/// 1–8 pods with random requests, priorities and minMember, a third of them sharing GPUs (by fraction or memory, on
/// one or two devices). Pods generated as running or releasing are put on the first node (from a per-pod offset)
/// where they fit — sharers on GPU groups with room, or new ones on idle GPUs — so the initial state never
/// over-commits a node or a device.
/// </summary>
internal sealed class RandomWorld
{
    private RandomWorld(ClusterState state, NodePlacementOptions placement, string description)
    {
        State = state;
        Placement = placement;
        Description = description;
    }

    public ClusterState State { get; }

    public NodePlacementOptions Placement { get; }

    public string Description { get; }

    public SchedulerConfiguration Configuration => SchedulerConfiguration.Default.WithPlacement(Placement);

    /// <param name="withReleasing">Some pods are generated releasing.</param>
    /// <param name="uniformGangs">Half the gangs have pods of one request (as real gangs do), some of them with differing tolerations.</param>
    /// <param name="hostPorts">Half the uniform gangs' pods ask for one host port, so a node holding one of them rejects another.</param>
    public static Gen<RandomWorld> Gen(bool withReleasing, bool uniformGangs = false, bool hostPorts = false) =>
        from nodes in NodeGen.Array[1, 8]
        from departments in DepartmentGen.Array[1, 3]
        from groups in (uniformGangs ? CsCheck.Gen.OneOf(GroupGen(withReleasing), UniformGroupGen(withReleasing, hostPorts)) : GroupGen(withReleasing)).Array[0, 12]
        from gpuSpread in CsCheck.Gen.Bool
        from cpuSpread in CsCheck.Gen.Bool
        select Build(nodes, departments, groups, new NodePlacementOptions
        {
            Gpu = gpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
            Cpu = cpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
        });

    /// <summary>
    /// Few GPUs, mostly held by running gangs of one request, and pending gangs of one request and several pods: the
    /// by-pod search's steps where some of the gang's pods fit as the session stands but not all of them.
    /// </summary>
    /// <param name="fewestDepartments">Fewest top-level queues.</param>
    /// <param name="mostDepartments">Most top-level queues.</param>
    /// <param name="mostRunning">Most running gangs.</param>
    public static Gen<RandomWorld> CrowdedGen(int fewestDepartments = 1, int mostDepartments = 3, int mostRunning = 14) =>
        from nodes in CrowdedNodeGen.Array[3, 8]
        from departments in DepartmentGen.Array[fewestDepartments, mostDepartments]
        from running in CrowdedGangGen(pending: false).Array[4, mostRunning]
        from pending in CrowdedGangGen(pending: true).Array[1, 4]
        from gpuSpread in CsCheck.Gen.Bool
        select Build(nodes, departments, [.. running, .. pending], new NodePlacementOptions
        {
            Gpu = gpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
        });

    public override string ToString() => Description;

    /// <summary>
    /// Worlds where the victim search's steps go on from one another and the victims after the preemptor matter: small
    /// GPU nodes with single GPUs left idle, elastic running gangs of one-GPU pods spread over them (so a victim group is
    /// evicted on one node and goes back, or moves, on another — its recorded pods then come in another order), and
    /// pending gangs of several pods of one or two GPUs in two or three departments (victims in the preemptor's own
    /// department keep its queues in the walk after its turn). The idle GPUs are what a victim placed back and the
    /// preemptor's next pod compete for, so a victim that moved in one step may not in the next.
    /// </summary>
    public static Gen<RandomWorld> ChainGen() => CsCheck.Gen.OneOf(ChainGenOf(twoGpuPods: false), ChainGenOf(twoGpuPods: true));

    /// <param name="twoGpuPods">Pending pods of two GPUs on nodes of two to four (victims move into the single GPUs left free), else of one on nodes of one to four.</param>
    private static Gen<RandomWorld> ChainGenOf(bool twoGpuPods) =>
        from nodes in ChainNodeGen(twoGpuPods ? 2 : 1).Array[twoGpuPods ? 4 : 3, twoGpuPods ? 10 : 9]
        from departments in DepartmentGen.Array[twoGpuPods ? 2 : 1, 3]
        from running in ChainGangGen(pending: false, twoGpuPods).Array[twoGpuPods ? 3 : 4, twoGpuPods ? 12 : 16]
        from pending in ChainGangGen(pending: true, twoGpuPods).Array[1, 5]
        from gpuSpread in CsCheck.Gen.Bool
        select Build(nodes, departments, [.. running, .. pending], new NodePlacementOptions
        {
            Gpu = gpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack,
        });

    /// <summary>
    /// <see cref="ChainGen"/>'s worlds with inter-pod terms between gangs. Running gangs (the victims) often require a pod
    /// of a gang generated just before them on their node (or in their zone) — the initial placement puts neighbours near
    /// one another — or a preemptor's pod (<c>wave=late</c>), and some refuse a neighbour's pods. So placing one victim
    /// group back can let another go back (its pods follow the first) or keep it out, and a preemptor's pod placed in a
    /// chain's later step can let a victim back that could not go back before. Nodes are labelled by hostname and zone; a
    /// third of them have too little CPU for a preemptor's pod, so victims have room to go back to there (the victims'
    /// room elsewhere is mostly taken by the preemptor).
    /// </summary>
    public static Gen<RandomWorld> AffinityChainGen() =>
        CsCheck.Gen.OneOf(AffinityChainGenOf(twoGpuPods: false), AffinityChainGenOf(twoGpuPods: true), FollowerPairGen(), FollowerPairGen());

    /// <summary>
    /// Pairs of one-pod victim gangs, each pair alone on a node of two GPUs: the second requires the first's pod on its
    /// node (or, a third of the time, a preemptor's pod in its zone); nodes with room but too little CPU for a preemptor's
    /// pod beside them, up to two idle nodes of two GPUs, and preemptors of one or two pods of two GPUs. A preemptor clears
    /// a pair's node; the first goes back to a small node and the second can only follow it there (or a preemptor's pod
    /// placed in its zone).
    /// </summary>
    private static Gen<RandomWorld> FollowerPairGen() =>
        from pairs in CsCheck.Gen.Int[1, 3]
        from small in CsCheck.Gen.Int[2, 4].Array[1, 3]
        from departments in DepartmentGen.Array[1, 2]
        from leaves in CsCheck.Gen.Int[0, 8].Array[2 * pairs]
        from priorities in CsCheck.Gen.OneOf(50, 100).Array[2 * pairs]
        from followsPreemptor in CsCheck.Gen.Int[0, 2].Array[pairs]
        from pending in CsCheck.Gen.Int[1, 2].Array[1, 2]
        from pendingLeaves in CsCheck.Gen.Int[0, 8].Array[pending.Length]
        from free in CsCheck.Gen.Int[0, 2]
        from zones in CsCheck.Gen.Int[2, 3]
        from gpuSpread in CsCheck.Gen.Bool
        select Build(
            [
                .. Enumerable.Range(0, pairs).Select(_ => new NodeSpec(2, 64, 256, 40, 9, true, false)),
                .. small.Select(gpus => new NodeSpec(gpus, SmallNodeCores, 256, 40, 9, true, false)),
                .. Enumerable.Range(0, free).Select(_ => new NodeSpec(2, 64, 256, 40, 9, true, false)),
            ],
            departments,
            [
                .. leaves.Select((leaf, g) => new GroupSpec(leaf, [new PodSpec(1, 500, 1, 0, true)], 1, priorities[g], Node: g / 2)),
                .. pending.Select((size, i) => new GroupSpec(pendingLeaves[i], [.. Enumerable.Repeat(new PodSpec(2, PreemptorCpuMilli, 1, 9, true), size)], size, 125)),
            ],
            new NodePlacementOptions { Gpu = gpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack },
            new WorldAffinity(
                [
                    .. leaves.Select((_, g) => g % 2 == 0 ? new AffinitySpec("early", null, null, false)
                        : followsPreemptor[g / 2] == 0 ? new AffinitySpec("early", "wave=late", null, true)
                        : new AffinitySpec("early", $"app=g{g - 1}", null, false)),
                    .. pending.Select(_ => new AffinitySpec("late", null, null, false)),
                ],
                zones));

    private static Gen<RandomWorld> AffinityChainGenOf(bool twoGpuPods) =>
        from nodes in ChainNodeGen(twoGpuPods ? 2 : 1).Array[twoGpuPods ? 4 : 3, twoGpuPods ? 10 : 9]
        from departments in DepartmentGen.Array[twoGpuPods ? 2 : 1, 3]
        from running in ChainGangGen(pending: false, twoGpuPods).Array[twoGpuPods ? 3 : 4, twoGpuPods ? 12 : 16]
        from pending in ChainGangGen(pending: true, twoGpuPods).Array[1, 5]
        from runningTerms in VictimTermsGen.Array[running.Length]
        from pendingTerms in PreemptorTermsGen.Array[pending.Length]
        from zones in CsCheck.Gen.Int[2, 3]
        from cores in CsCheck.Gen.OneOf(64, 64, SmallNodeCores).Array[nodes.Length]
        from gpuSpread in CsCheck.Gen.Bool
        select Build(
            [.. nodes.Select((node, i) => cores[i] == SmallNodeCores ? node with { CpuCores = SmallNodeCores, Gpus = node.Gpus + 4 } : node)],
            departments,
            [.. running, .. pending.Select(gang => gang with { Pods = [.. gang.Pods.Select(pod => pod with { CpuMilli = PreemptorCpuMilli })] })],
            new NodePlacementOptions { Gpu = gpuSpread ? PlacementStrategy.Spread : PlacementStrategy.Binpack },
            new WorldAffinity([.. runningTerms.Select((terms, g) => terms(g)), .. pendingTerms.Select((terms, g) => terms(running.Length + g))], zones));

    /// <summary>Preemptors' pods ask for more CPU than a third of the nodes have: victims go back there, preemptors cannot.</summary>
    private const int PreemptorCpuMilli = 8_000;

    private const int SmallNodeCores = 4;

    /// <summary>
    /// A victim's terms, given its index: two thirds require the gang just before it, a twelfth a preemptor's pod, a sixth
    /// refuse one of the three gangs before it; in their zone a quarter of the time, else on their node.
    /// </summary>
    private static readonly Gen<Func<int, AffinitySpec>> VictimTermsGen =
        from requires in CsCheck.Gen.Int[0, 11]
        from refuses in CsCheck.Gen.Int[0, 17]
        from byZone in CsCheck.Gen.Int[0, 3]
        select (Func<int, AffinitySpec>)(g => new AffinitySpec(
            "early",
            requires switch { 0 => "wave=late", < 9 when g > 0 => $"app=g{g - 1}", _ => null },
            refuses < 3 && g > refuses ? $"app=g{g - 1 - refuses}" : null,
            byZone == 0));

    /// <summary>A preemptor's terms: a tenth require a running gang's pod on the node, a tenth refuse one.</summary>
    private static readonly Gen<Func<int, AffinitySpec>> PreemptorTermsGen =
        from requires in CsCheck.Gen.Int[0, 9]
        from refuses in CsCheck.Gen.Int[0, 9]
        from target in CsCheck.Gen.Int[0, 3]
        select (Func<int, AffinitySpec>)(_ => new AffinitySpec(
            "late",
            requires == 0 ? $"app=g{target}" : null,
            refuses == 0 ? $"app=g{target + 1}" : null,
            ByZone: false));

    /// <summary>The inter-pod terms of a world's gangs (in the order of its group specs) and how many zones its nodes are in.</summary>
    private sealed record WorldAffinity(AffinitySpec[] Groups, int Zones);

    private const string HostnameKey = "kubernetes.io/hostname";

    private const string ZoneKey = "topology.kubernetes.io/zone";

    private static Gen<NodeSpec> ChainNodeGen(int fewestGpus) =>
        from gpus in CsCheck.Gen.Int[fewestGpus, 4]
        from health in CsCheck.Gen.Int[0, 29]
        select new NodeSpec(gpus, 64, 256, 40, 9, health != 0, false);

    /// <summary>
    /// Running gangs of one-GPU pods, elastic (minMember up to size, some pods pending), which leave single GPUs free
    /// here and there; pending gangs of one to six pods (with <paramref name="twoGpuPods"/>, of one or two GPUs), whole or
    /// elastic: a two-GPU pod evicts a victim beside a free GPU, and the victim moves to a free GPU elsewhere after the
    /// preemptor's turn.
    /// </summary>
    private static Gen<GroupSpec> ChainGangGen(bool pending, bool twoGpuPods) =>
        from leaf in CsCheck.Gen.Int[0, 8]
        from size in CsCheck.Gen.Int[pending || twoGpuPods ? 1 : 2, pending ? 6 : twoGpuPods ? 3 : 4]
        from states in (pending ? CsCheck.Gen.Const(9) : CsCheck.Gen.OneOf(0, 0, 0, 1, 9)).Array[size]
        from minMember in CsCheck.Gen.Int[1, size]
        from whole in CsCheck.Gen.Bool
        from priority in CsCheck.Gen.OneOf(50, 100, 125)
        from gpus in pending && twoGpuPods ? CsCheck.Gen.OneOf(1, 2, 2) : CsCheck.Gen.Const(1)
        select new GroupSpec(leaf, [.. states.Select(state => new PodSpec(gpus, 500, 1, state, true))], pending && whole ? size : minMember, priority);


    private static readonly Gen<NodeSpec> CrowdedNodeGen =
        from gpus in CsCheck.Gen.Int[1, 4]
        from cpu in CsCheck.Gen.Int[8, 64]
        from memory in CsCheck.Gen.Int[32, 256]
        from taint in CsCheck.Gen.Int[0, 9]
        from health in CsCheck.Gen.Int[0, 19]
        select new NodeSpec(gpus, cpu, memory, 30, taint, health != 0, health == 1);

    /// <summary>A gang of one request (1 or 2 GPUs, pending ones 2 more often), running or releasing where it fits, or pending (then whole: its minMember is its size).</summary>
    private static Gen<GroupSpec> CrowdedGangGen(bool pending) =>
        from leaf in CsCheck.Gen.Int[0, 8]
        from size in CsCheck.Gen.Int[pending ? 2 : 1, pending ? 8 : 4]
        from gpus in pending ? CsCheck.Gen.OneOf(1, 2, 2) : CsCheck.Gen.OneOf(1, 1, 2)
        from cpu in CsCheck.Gen.Int[0, 8]
        from memory in CsCheck.Gen.Int[0, 16]
        from tolerates in CsCheck.Gen.Bool
        from states in CsCheck.Gen.OneOf(0, 0, 1, 2).Array[size]
        from minMember in CsCheck.Gen.Int[1, size]
        from priority in CsCheck.Gen.OneOf(50, 75, 100, 125)
        select new GroupSpec(leaf, [.. states.Select(state => new PodSpec(gpus, cpu * 250, memory, pending ? 9 : state, tolerates))], pending ? size : minMember, priority);

    private static readonly Gen<NodeSpec> NodeGen =
        from gpus in CsCheck.Gen.Int[0, 8]
        from cpu in CsCheck.Gen.Int[1, 64]
        from memory in CsCheck.Gen.Int[1, 256]
        from pods in CsCheck.Gen.Int[2, 30]
        from taint in CsCheck.Gen.Int[0, 5]
        from health in CsCheck.Gen.Int[0, 9]
        from gpuMemory in CsCheck.Gen.OneOf(0, 16_000, 16_000, 40_000)
        select new NodeSpec(gpus, cpu, memory, pods, taint, health != 0, health == 1, gpuMemory);

    private static readonly Gen<QueueSpec> QueueGen =
        from quota in CsCheck.Gen.Int[-1, 8]
        from limitKind in CsCheck.Gen.Int[0, 9]
        from limit in CsCheck.Gen.Int[1, 16]
        from weight in CsCheck.Gen.Int[0, 3]
        from cpuLimit in CsCheck.Gen.OneOf(-1, -1, -1, -1, -1, -1, -1, -1, 0, 64)
        select new QueueSpec(quota, limitKind switch { <= 6 => -1, 7 => 0, _ => limit }, weight, cpuLimit);

    private static readonly Gen<(QueueSpec Department, QueueSpec[] Leaves)> DepartmentGen =
        from department in QueueGen
        from leaves in QueueGen.Array[1, 3]
        select (department, leaves);

    private static Gen<PodSpec> PodGen(bool withReleasing) =>
        from gpus in CsCheck.Gen.OneOf(0, 0, 1, 1, 2, 4)
        from cpu in CsCheck.Gen.Int[0, 32]
        from memory in CsCheck.Gen.Int[0, 32]
        from state in CsCheck.Gen.Int[0, 9]
        from tolerates in CsCheck.Gen.Bool
        from sharing in CsCheck.Gen.Int[0, 2]
        from share in CsCheck.Gen.OneOf(10, 25, 30, 50, 60, 75, 100)
        from devices in CsCheck.Gen.OneOf(1, 1, 1, 2)
        from byMemory in CsCheck.Gen.Int[0, 3]
        select sharing == 0
            ? new PodSpec(0, cpu * 250, memory, withReleasing || state != 2 ? state : 9, tolerates, share, devices, byMemory == 0)
            : new PodSpec(gpus, cpu * 250, memory, withReleasing || state != 2 ? state : 9, tolerates);

    private static Gen<GroupSpec> GroupGen(bool withReleasing) =>
        from leaf in CsCheck.Gen.Int[0, 8]
        from pods in PodGen(withReleasing).Array[1, 8]
        from minMember in CsCheck.Gen.Int[1, 8]
        from priority in CsCheck.Gen.OneOf(50, 75, 100, 125)
        select new GroupSpec(leaf, pods, Math.Min(minMember, pods.Length), priority);

    /// <summary>A gang whose pods share one request; their initial states, and in half the gangs whether they tolerate taints, differ.</summary>
    private static Gen<GroupSpec> UniformGroupGen(bool withReleasing, bool hostPorts) =>
        from gang in GroupGen(withReleasing)
        from hostPort in CsCheck.Gen.Bool
        from states in CsCheck.Gen.Int[0, 9].Array[gang.Pods.Length]
        from tolerates in CsCheck.Gen.Bool.Array[gang.Pods.Length]
        from sameTolerations in CsCheck.Gen.Bool
        select gang with
        {
            Pods = [.. states.Select((state, i) => gang.Pods[0] with
            {
                State = withReleasing || state != 2 ? state : 9,
                Tolerates = sameTolerations ? gang.Pods[0].Tolerates : tolerates[i],
                HostPort = hostPorts && hostPort,
            })],
        };

    private static RandomWorld Build(
        NodeSpec[] nodeSpecs,
        (QueueSpec Department, QueueSpec[] Leaves)[] departments,
        GroupSpec[] groupSpecs,
        NodePlacementOptions placement,
        WorldAffinity? affinity = null)
    {
        var text = new StringBuilder($"placement gpu={placement.Gpu} cpu={placement.Cpu}\n");
        var nodes = new List<Node>();
        for (var i = 0; i < nodeSpecs.Length; i++)
        {
            var s = nodeSpecs[i];
            var node = A.Node($"n{i}").Gpus(s.Gpus).Cpu(s.CpuCores.ToString(System.Globalization.CultureInfo.InvariantCulture)).Memory($"{s.MemoryGi}Gi").MaxPods(s.MaxPods);
            node = s.GpuMemory > 0 ? node.GpuMemory(s.GpuMemory) : node;
            node = s.Taint switch
            {
                0 => node.Taint("dedicated", "x"),
                1 => node.Taint("spot", "true", TaintEffect.PreferNoSchedule),
                _ => node,
            };
            node = s.Ready ? node : node.NotReady();
            node = s.Cordoned ? node.Cordoned() : node;
            node = affinity is null ? node : node.Label(HostnameKey, $"n{i}").Label(ZoneKey, $"z{i % affinity.Zones}");
            nodes.Add(node.Build());
            text.AppendLine(affinity is null ? $"node {s}" : $"node {s} zone=z{i % affinity.Zones}");
        }

        var queues = new List<Queue>();
        var leaves = new List<string>();
        for (var d = 0; d < departments.Length; d++)
        {
            var (department, leafSpecs) = departments[d];
            queues.Add(Queue($"dept{d}", null, department));
            text.AppendLine($"queue dept{d} {department}");
            for (var l = 0; l < leafSpecs.Length; l++)
            {
                var name = $"leaf{d}-{l}";
                queues.Add(Queue(name, $"dept{d}", leafSpecs[l]));
                leaves.Add(name);
                text.AppendLine($"queue {name} < dept{d} {leafSpecs[l]}");
            }
        }

        var idle = nodes.Select(n => n.Allocatable).ToArray();
        var devices = nodes.Select(_ => new List<(string Id, long Used)>()).ToArray();
        var groups = new List<PodGroup>();
        var pods = new List<Pod>();
        for (var g = 0; g < groupSpecs.Length; g++)
        {
            var spec = groupSpecs[g];
            var builder = A.PodGroup($"g{g}").InQueue(leaves[spec.Leaf % leaves.Count]).MinMember(spec.MinMember).Priority(spec.Priority).Created(A.MinutesAgo(100 - g));
            var terms = affinity?.Groups[g];
            text.AppendLine($"group g{g} queue={leaves[spec.Leaf % leaves.Count]} min={spec.MinMember} priority={spec.Priority}{(terms is null ? "" : $" {terms}")}");
            for (var p = 0; p < spec.Pods.Length; p++)
            {
                var podSpec = spec.Pods[p];
                var request = new ResourceVector(podSpec.CpuMilli, podSpec.MemoryGi * Quantity.Gi, podSpec.Gpus * 1000L, 1);
                string[] gpuGroups = [];
                var node = podSpec.State > 2 ? -1
                    : podSpec.Share > 0 ? FirstFitShared(nodes, idle, devices, request, podSpec, offset: g + p, out gpuGroups)
                    : spec.Node >= 0 && request.FitsIn(idle[spec.Node]) ? spec.Node
                    : FirstFit(idle, request, offset: g + p);
                var status = node < 0 ? PodStatus.Pending : podSpec.State == 2 ? PodStatus.Releasing : PodStatus.Running;
                if (node >= 0)
                {
                    idle[node] -= request;
                }

                builder.Pod($"g{g}-{p}", b =>
                {
                    var pod = b.Requests(podSpec.CpuMilli, podSpec.MemoryGi * Quantity.Gi, podSpec.Gpus * 1000L)
                        .WithStatus(status, node >= 0 ? nodes[node].Name : null);
                    pod = podSpec.Share == 0 ? pod
                        : podSpec.ByMemory ? pod.GpuMemory(podSpec.Share * 160L, podSpec.Devices)
                        : pod.Fraction(podSpec.Share / 100.0, podSpec.Devices);
                    pod = gpuGroups.Length > 0 ? pod.OnGpuGroups(gpuGroups) : pod;
                    pod = podSpec.HostPort ? pod.HostPort(9000) : pod;
                    pod = terms is null ? pod : WithTerms(pod, $"g{g}", terms);
                    return podSpec.Tolerates ? pod.Tolerates("dedicated") : pod;
                });
                text.AppendLine($"  pod g{g}-{p} {podSpec} -> {status} {(node >= 0 ? nodes[node].Name : "")}");
            }

            groups.Add(builder.Build());
            pods.AddRange(builder.BuildPods());
        }

        var state = new ClusterState(nodes, pods, groups, queues, A.Now, new ResourceCatalog());
        return new RandomWorld(state, placement, text.ToString());
    }

    /// <summary>A pod's labels and its required terms on other gangs' pods (by node or by zone).</summary>
    private static PodBuilder WithTerms(PodBuilder pod, string group, AffinitySpec terms)
    {
        var key = terms.ByZone ? ZoneKey : HostnameKey;
        pod = pod.Label("app", group).Label("wave", terms.Wave);
        pod = terms.Requires is null ? pod : pod.RequiresPodAffinity(key, terms.Requires);
        return terms.Refuses is null ? pod : pod.RequiresPodAntiAffinity(key, terms.Refuses);
    }

    private static int FirstFit(ResourceVector[] idle, ResourceVector request, int offset)
    {
        for (var i = 0; i < idle.Length; i++)
        {
            var n = (i + offset) % idle.Length;
            if (request.FitsIn(idle[n]))
            {
                return n;
            }
        }

        return -1;
    }

    /// <summary>
    /// The first node (from an offset) where a sharer fits: its other resources, and one device each for its share —
    /// a group with room, else a new group on an idle GPU (memory shares only on nodes that publish GPU memory).
    /// </summary>
    private static int FirstFitShared(List<Node> nodes, ResourceVector[] idle, List<(string Id, long Used)>[] devices, ResourceVector request, PodSpec pod, int offset, out string[] groups)
    {
        groups = [];
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = (i + offset) % nodes.Count;
            var gpuMemory = nodes[n].GpuMemoryMiB;
            if (!request.FitsIn(idle[n]) || (pod.ByMemory && !nodes[n].GpuMemorySynced))
            {
                continue;
            }

            var memory = pod.ByMemory ? pod.Share * 160L : pod.Share * gpuMemory / 100;
            if (memory > gpuMemory)
            {
                continue;
            }

            var chosen = new List<int>();
            for (var d = 0; d < devices[n].Count && chosen.Count < pod.Devices; d++)
            {
                if (devices[n][d].Used + memory <= gpuMemory)
                {
                    chosen.Add(d);
                }
            }

            var opened = pod.Devices - chosen.Count;
            if (opened * 1000L > idle[n].Gpu)
            {
                continue;
            }

            for (var o = 0; o < opened; o++)
            {
                devices[n].Add(($"dev-{nodes[n].Name}-{devices[n].Count}", 0));
                chosen.Add(devices[n].Count - 1);
            }

            idle[n] = idle[n].WithGpu(idle[n].Gpu - (opened * 1000L));
            groups = [.. chosen.Select(d => devices[n][d].Id)];
            foreach (var d in chosen)
            {
                devices[n][d] = (devices[n][d].Id, devices[n][d].Used + memory);
            }

            return n;
        }

        return -1;
    }

    private static Queue Queue(string name, string? parent, QueueSpec spec)
    {
        var builder = A.Queue(name).Gpu(quota: spec.GpuQuota, limit: spec.GpuLimit, weight: spec.Weight)
            .Cpu(limit: spec.CpuLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (parent is null ? builder : builder.Parent(parent)).Build();
    }
}
