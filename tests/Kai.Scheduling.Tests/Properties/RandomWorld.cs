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
internal sealed record GroupSpec(int Leaf, PodSpec[] Pods, int MinMember, int Priority);

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

    private static RandomWorld Build(NodeSpec[] nodeSpecs, (QueueSpec Department, QueueSpec[] Leaves)[] departments, GroupSpec[] groupSpecs, NodePlacementOptions placement)
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
            nodes.Add(node.Build());
            text.AppendLine($"node {s}");
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
            text.AppendLine($"group g{g} queue={leaves[spec.Leaf % leaves.Count]} min={spec.MinMember} priority={spec.Priority}");
            for (var p = 0; p < spec.Pods.Length; p++)
            {
                var podSpec = spec.Pods[p];
                var request = new ResourceVector(podSpec.CpuMilli, podSpec.MemoryGi * Quantity.Gi, podSpec.Gpus * 1000L, 1);
                string[] gpuGroups = [];
                var node = podSpec.State > 2 ? -1
                    : podSpec.Share > 0 ? FirstFitShared(nodes, idle, devices, request, podSpec, offset: g + p, out gpuGroups)
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
