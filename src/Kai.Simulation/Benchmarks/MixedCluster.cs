using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// A generated large cluster as AI clusters run: most pods already running — GPU gangs, pods sharing a GPU by a
/// fraction, CPU-only pods — in a few hundred queues, and some pending. Same seed, same cluster; the stream of
/// new pods that arrive between cycles (<see cref="NewGangs"/>) is seeded too.
/// </summary>
public sealed class MixedCluster
{
    public const int GpusPerNode = SyntheticCluster.GpusPerNode;

    /// <summary>Departments (top-level queues) and teams per department: 300 leaf queues.</summary>
    private const int Departments = 20;
    private const int TeamsPerDepartment = 15;

    private static readonly DateTime BaseTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] PendingPriorityClasses = ["train", "train", "train", "build-preemptible", "inference"];
    private static readonly string[] RunningPriorityClasses = ["train", "train", "build-preemptible", "inference"];

    /// <summary>Every pending pod's status: one object (stored objects are never mutated, see <see cref="Kai.Cluster.Port.ICluster"/>).</summary>
    private static readonly V1PodStatus PendingStatus = new() { Phase = "Pending" };

    private readonly Random _random;
    private readonly List<string> _teams = [];

    // Parts that many generated pods have alike are made once and shared, as equal strings and quantities are
    // interned: the containers of one shape, the labels of one queue, the annotations of one group, the status of
    // pods started together. Nothing mutates a stored object, so sharing changes nothing but the memory.
    private readonly Dictionary<(string Cpu, string Memory, int Gpus), IList<V1Container>> _containers = [];
    private readonly Dictionary<string, IDictionary<string, string>> _queueLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<DateTime, V1PodStatus> _running = [];
    private readonly Dictionary<DateTime, IDictionary<string, string>> _startedAnnotations = [];
    private readonly List<string> _nodeNames = [];
    private (string Group, string? Fraction, IDictionary<string, string> Annotations)? _lastAnnotations;
    private readonly string _prefix;
    private int _nextGroup;

    private MixedCluster(int seed, string prefix = "job")
    {
        _random = new Random(seed);
        _prefix = prefix;
    }

    /// <summary>The generated objects.</summary>
    public List<IKubernetesObject<V1ObjectMeta>> Objects { get; } = [];

    /// <summary>Running pod groups by name and namespace with their pod names, in creation order (what churn may finish).</summary>
    public List<GeneratedGroup> RunningGroups { get; } = [];

    /// <param name="nodes">Nodes with 8 GPUs, 128 CPUs and 1Ti each.</param>
    /// <param name="pods">All pods, running and pending.</param>
    /// <param name="pendingPods">Of them pending.</param>
    /// <param name="seed">Seed; same seed, same cluster.</param>
    public static MixedCluster Generate(int nodes, int pods, int pendingPods, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pods, pendingPods);
        var cluster = new MixedCluster(seed);
        cluster.AddNodesAndQueues(nodes);
        cluster.AddRunning(nodes, pods - pendingPods);
        cluster.Objects.AddRange(cluster.NewGangs(pendingPods, BaseTime));
        foreach (var (priorityName, value) in KaiConventions.PriorityClasses)
        {
            cluster.Objects.Add(new V1PriorityClass { ApiVersion = "scheduling.k8s.io/v1", Kind = "PriorityClass", Metadata = new V1ObjectMeta { Name = priorityName }, Value = value });
        }

        return cluster;
    }

    /// <summary>New pending gangs for the given leaf queues (named <c>new-…</c>), as <see cref="NewGangs"/> makes them.</summary>
    public static MixedCluster ForArrivals(int seed, IEnumerable<string> teams)
    {
        var arrivals = new MixedCluster(seed, "new");
        arrivals._teams.AddRange(teams);
        return arrivals;
    }

    /// <summary>
    /// Pending gangs with <paramref name="pods"/> pods in all: 60 % of the pods in GPU gangs of 1–16 (1 GPU each,
    /// some 2–8 for single pods), 15 % sharing half a GPU, 25 % CPU-only gangs of 1–4.
    /// </summary>
    public List<IKubernetesObject<V1ObjectMeta>> NewGangs(int pods, DateTime created)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>(pods + (pods / 3) + 1);
        var made = 0;
        while (made < pods)
        {
            var kind = _random.Next(100);
            var team = _teams[_random.Next(_teams.Count)];
            var priority = PendingPriorityClasses[_random.Next(PendingPriorityClasses.Length)];
            int size;
            Func<int, V1Pod> member;
            var name = $"{_prefix}-{_nextGroup:D7}";
            var ns = Namespace(_nextGroup);
            if (kind < 60)
            {
                size = Math.Min(1 + _random.Next(16), pods - made);
                var gpus = size <= 2 && _random.Next(3) == 0 ? 1 << _random.Next(4) : 1;
                member = i => GpuPod(ns, $"{name}-{i}", name, team, gpus, created);
            }
            else if (kind < 75)
            {
                size = 1;
                member = i => FractionPod(ns, $"{name}-{i}", name, team, created);
            }
            else
            {
                size = Math.Min(1 + _random.Next(4), pods - made);
                member = i => CpuPod(ns, $"{name}-{i}", name, team, created);
            }

            objects.Add(Group(ns, name, team, priority, _random.Next(5) == 0 ? Math.Max(1, size / 2) : size, created, started: null));
            for (var i = 0; i < size; i++)
            {
                objects.Add(member(i));
            }

            made += size;
            _nextGroup++;
        }

        return objects;
    }

    /// <summary>The 50 namespaces' names, made once (every group names one).</summary>
    private static readonly string[] Namespaces = [.. Enumerable.Range(0, 50).Select(n => $"ns-{n:D2}")];

    private static string Namespace(int group) => Namespaces[group % Namespaces.Length];

    private void AddNodesAndQueues(int nodes)
    {
        for (var n = 0; n < nodes; n++)
        {
            _nodeNames.Add($"node-{n:D5}");
            Objects.Add(Node(_nodeNames[n]));
        }

        var totalGpus = (double)nodes * GpusPerNode;
        for (var d = 0; d < Departments; d++)
        {
            var department = $"dept-{d:D2}";
            Objects.Add(Queue(department, null, totalGpus / Departments, -1, 1));
            for (var t = 0; t < TeamsPerDepartment; t++)
            {
                var team = $"{department}-team-{t:D2}";
                _teams.Add(team);
                var quota = Math.Round(totalGpus / Departments / TeamsPerDepartment * (0.5 + _random.NextDouble()));
                var limit = _random.Next(4) == 0 ? Math.Round(quota * 2) : -1;
                Objects.Add(Queue(team, department, quota, limit, 1 + _random.Next(3)));
            }
        }
    }

    /// <summary>
    /// Running pods packed node by node: whole-GPU gangs take up to 6 of a node's GPUs (three quarters of the
    /// cluster's GPUs at most), pairs of half-GPU pods share a seventh, CPU-only gangs make up the rest.
    /// </summary>
    private void AddRunning(int nodes, int running)
    {
        var started = BaseTime.AddHours(-2);
        var gpuPods = Math.Min(running * 35 / 100, nodes * 6);
        var fractionPods = Math.Min(running * 15 / 100, nodes * 2);
        var cpuPods = running - gpuPods - fractionPods;

        // Whole-GPU gangs: 6 GPUs per node, node after node.
        var node = 0;
        var onNode = 0;
        var placed = 0;
        while (placed < gpuPods)
        {
            var size = Math.Min(1 + _random.Next(8), gpuPods - placed);
            AddRunningGroup(size, started, (ns, podName, group, team) =>
            {
                var pod = GpuPod(ns, podName, group, team, 1, started);
                Run(pod, node, started);
                if (++onNode == 6)
                {
                    node = (node + 1) % nodes;
                    onNode = 0;
                }

                return pod;
            });
            placed += size;
        }

        // Half-GPU pods, two per node on the node's seventh GPU (a GPU group of its own).
        for (var i = 0; i < fractionPods; i++)
        {
            var onto = (i / 2) % nodes;
            AddRunningGroup(1, started, (ns, podName, group, team) =>
            {
                var pod = FractionPod(ns, podName, group, team, started);
                pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels) { [KaiConventions.GpuGroupLabel] = $"node-{onto:D5}-gpu-6" };
                Run(pod, onto, started);
                return pod;
            });
        }

        // CPU-only gangs of 1–4, spread round-robin.
        placed = 0;
        node = 0;
        while (placed < cpuPods)
        {
            var size = Math.Min(1 + _random.Next(4), cpuPods - placed);
            AddRunningGroup(size, started, (ns, podName, group, team) =>
            {
                var pod = CpuPod(ns, podName, group, team, started);
                Run(pod, node, started);
                node = (node + 1) % nodes;
                return pod;
            });
            placed += size;
        }
    }

    private void AddRunningGroup(int size, DateTime started, Func<string, string, string, string, V1Pod> member)
    {
        var name = $"run-{_nextGroup:D7}";
        var ns = Namespace(_nextGroup);
        _nextGroup++;
        var team = _random.Next(3) < 2 ? _teams[_random.Next(_teams.Count / 3)] : _teams[_random.Next(_teams.Count)];
        Objects.Add(Group(ns, name, team, RunningPriorityClasses[_random.Next(RunningPriorityClasses.Length)], size, started, started));
        var podNames = new string[size];
        for (var i = 0; i < size; i++)
        {
            podNames[i] = $"{name}-{i}";
            Objects.Add(member(ns, podNames[i], name, team));
        }

        RunningGroups.Add(new GeneratedGroup(ns, name, podNames));
    }

    private void Run(V1Pod pod, int node, DateTime started)
    {
        pod.Spec.NodeName = _nodeNames[node];
        if (!_running.TryGetValue(started, out var status))
        {
            status = new V1PodStatus { Phase = "Running", StartTime = started };
            _running.Add(started, status);
        }

        pod.Status = status;
    }

    private PodGroup Group(string ns, string name, string team, string priorityClass, int minMember, DateTime created, DateTime? started) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            CreationTimestamp = created,
            Annotations = started is { } at ? StartedAnnotations(at) : null,
        },
        Spec = new PodGroupSpec { MinMember = minMember, Queue = team, PriorityClassName = priorityClass },
    };

    private static V1Node Node(string name)
    {
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("128"),
            ["memory"] = new("1Ti"),
            ["pods"] = new("110"),
            [KaiConventions.GpuResource] = new(GpusPerNode.ToString(CultureInfo.InvariantCulture)),
        };
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name },
            Status = new V1NodeStatus { Allocatable = resources, Capacity = resources, Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
        };
    }

    private static Queue Queue(string name, string? parent, double gpuQuota, double gpuLimit, double weight) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new QueueSpec
        {
            ParentQueue = parent,
            Resources = new QueueResources
            {
                Gpu = new QueueResource { Quota = gpuQuota, Limit = gpuLimit, OverQuotaWeight = weight },
                Cpu = new QueueResource { Quota = -1, Limit = -1, OverQuotaWeight = weight },
                Memory = new QueueResource { Quota = -1, Limit = -1, OverQuotaWeight = weight },
            },
        },
    };

    private V1Pod GpuPod(string ns, string name, string group, string queue, int gpus, DateTime created) =>
        Pod(ns, name, group, queue, created, "4", "32Gi", gpus, fraction: null);

    private V1Pod FractionPod(string ns, string name, string group, string queue, DateTime created) =>
        Pod(ns, name, group, queue, created, "2", "8Gi", 0, fraction: "0.5");

    private V1Pod CpuPod(string ns, string name, string group, string queue, DateTime created) =>
        Pod(ns, name, group, queue, created, "1", "2Gi", 0, fraction: null);

    private V1Pod Pod(string ns, string name, string group, string queue, DateTime created, string cpu, string memory, int gpus, string? fraction) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            CreationTimestamp = created,
            Labels = QueueLabels(queue),
            Annotations = GroupAnnotations(group, fraction),
        },
        Spec = new V1PodSpec { SchedulerName = KaiConventions.SchedulerName, Containers = Containers(cpu, memory, gpus) },
        Status = PendingStatus,
    };

    /// <summary>The last-start annotation of groups started at <paramref name="at"/>: one dictionary for all of them.</summary>
    private IDictionary<string, string> StartedAnnotations(DateTime at)
    {
        if (!_startedAnnotations.TryGetValue(at, out var annotations))
        {
            annotations = new Dictionary<string, string> { [KaiConventions.LastStartTimestampAnnotation] = at.ToString(KaiConventions.TimestampAnnotationFormat, CultureInfo.InvariantCulture) };
            _startedAnnotations.Add(at, annotations);
        }

        return annotations;
    }

    private IList<V1Container> Containers(string cpu, string memory, int gpus)
    {
        if (!_containers.TryGetValue((cpu, memory, gpus), out var containers))
        {
            containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = "trainer",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                        Limits = gpus > 0 ? new Dictionary<string, ResourceQuantity> { [KaiConventions.GpuResource] = new(gpus.ToString(CultureInfo.InvariantCulture)) } : null,
                    },
                },
            ];
            _containers.Add((cpu, memory, gpus), containers);
        }

        return containers;
    }

    private IDictionary<string, string> QueueLabels(string queue)
    {
        if (!_queueLabels.TryGetValue(queue, out var labels))
        {
            labels = new Dictionary<string, string> { [KaiConventions.QueueLabel] = queue };
            _queueLabels.Add(queue, labels);
        }

        return labels;
    }

    /// <summary>A group's members are generated one after another: they share the annotations of the last member.</summary>
    private IDictionary<string, string> GroupAnnotations(string group, string? fraction)
    {
        if (_lastAnnotations is { } last && last.Group == group && last.Fraction == fraction)
        {
            return last.Annotations;
        }

        var annotations = new Dictionary<string, string> { [KaiConventions.PodGroupAnnotation] = group };
        if (fraction is not null)
        {
            annotations[KaiConventions.GpuFractionAnnotation] = fraction;
        }

        _lastAnnotations = (group, fraction, annotations);
        return annotations;
    }
}

/// <summary>A generated pod group: where it lives and its pods' names.</summary>
public sealed record GeneratedGroup(string Namespace, string Name, IReadOnlyList<string> PodNames);
