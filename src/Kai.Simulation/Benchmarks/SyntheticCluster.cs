using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// A generated cluster for benchmarks: nodes with 8 GPUs, a two-level queue tree (departments, teams), and
/// pending gangs of 1–16 pods spread over the teams. Same seed, same cluster.
/// </summary>
public static class SyntheticCluster
{
    public const int GpusPerNode = 8;

    /// <param name="nodes">Nodes, 8 GPUs each.</param>
    /// <param name="pendingPods">Pending pods, in gangs of 1–16.</param>
    /// <param name="seed">Seed; same seed, same cluster.</param>
    /// <param name="runningFill">Share of all GPUs already held by running gangs (0 = an empty cluster, 1 = full),
    /// mostly by a few teams so that others are below their fair share.</param>
    /// <param name="departments">Top-level queues.</param>
    /// <param name="teamsPerDepartment">Leaf queues per department.</param>
    /// <param name="fractional">
    /// Share (0–1) of the pending one-GPU pods that ask for a fraction of a GPU instead (gpu-fraction 0.1–0.9); drawn
    /// from a generator of its own, so the cluster is otherwise the same as with 0.
    /// </param>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Generate(int nodes, int pendingPods, int seed, double runningFill = 0, int departments = 6, int teamsPerDepartment = 6, double fractional = 0)
    {
        var random = new Random(seed);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>(nodes + pendingPods + (pendingPods / 4) + 64);
        for (var n = 0; n < nodes; n++)
        {
            objects.Add(Node($"node-{n:D5}"));
        }

        // The order of the draws from one generator is the cluster: queues, then running gangs, then pending ones.
        var teams = AddQueues(objects, random, (double)nodes * GpusPerNode, departments, teamsPerDepartment);
        var baseTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        AddRunningGangs(objects, random, nodes, teams, runningFill, baseTime.AddHours(-2));
        AddPendingGangs(objects, random, new Random(seed + 7919), pendingPods, teams, baseTime, fractional);
        foreach (var (priorityName, value) in KaiConventions.PriorityClasses)
        {
            objects.Add(new V1PriorityClass { ApiVersion = "scheduling.k8s.io/v1", Kind = "PriorityClass", Metadata = new V1ObjectMeta { Name = priorityName }, Value = value });
        }

        return objects;
    }

    /// <summary>Departments with an equal share of the GPUs, and teams below them with quotas of 0.5–1.5 of theirs and, for a quarter, a limit of twice that; returns the teams.</summary>
    private static List<string> AddQueues(List<IKubernetesObject<V1ObjectMeta>> objects, Random random, double totalGpus, int departments, int teamsPerDepartment)
    {
        var teams = new List<string>();
        for (var d = 0; d < departments; d++)
        {
            var department = $"dept-{d}";
            objects.Add(Queue(department, null, totalGpus / departments, -1, 1));
            for (var t = 0; t < teamsPerDepartment; t++)
            {
                var team = $"{department}-team-{t}";
                teams.Add(team);
                var quota = Math.Round(totalGpus / departments / teamsPerDepartment * (0.5 + random.NextDouble()));
                var limit = random.Next(4) == 0 ? Math.Round(quota * 2) : -1;
                objects.Add(Queue(team, department, quota, limit, 1 + random.Next(3)));
            }
        }

        return teams;
    }

    /// <summary>
    /// Pending gangs of 1–16 pods, one a second, in random teams, namespaces and priority classes; small gangs may
    /// ask for 1–8 GPUs a pod, and a share <paramref name="fractional"/> of one-GPU pods (drawn from
    /// <paramref name="fractions"/>) for a fraction instead.
    /// </summary>
    private static void AddPendingGangs(List<IKubernetesObject<V1ObjectMeta>> objects, Random random, Random fractions, int pendingPods, List<string> teams, DateTime baseTime, double fractional)
    {
        string[] priorityClasses = ["train", "train", "train", "build-preemptible", "inference"];
        var created = 0;
        for (var group = 0; created < pendingPods; group++)
        {
            var size = Math.Min(1 + random.Next(16), pendingPods - created);
            var gpusPerPod = size <= 2 && random.Next(3) == 0 ? 1 << random.Next(4) : 1;
            var name = $"job-{group:D6}";
            var ns = $"ns-{group % 20:D2}";
            var team = teams[random.Next(teams.Count)];
            var minMember = random.Next(5) == 0 ? Math.Max(1, size / 2) : size;
            var createdAt = baseTime.AddSeconds(group);
            objects.Add(new PodGroup
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, CreationTimestamp = createdAt },
                Spec = new PodGroupSpec { MinMember = minMember, Queue = team, PriorityClassName = priorityClasses[random.Next(priorityClasses.Length)] },
            });
            for (var i = 0; i < size; i++)
            {
                var fraction = gpusPerPod == 1 && fractions.NextDouble() < fractional ? (1 + fractions.Next(9)) / 10.0 : 0;
                objects.Add(Pod(ns, $"{name}-{i}", name, team, gpusPerPod, createdAt, fraction));
            }

            created += size;
        }
    }

    /// <summary>
    /// Gangs of 1–8 one-GPU pods already running, packed node by node; two thirds of them belong to the first
    /// third of the teams, so those teams are over their fair share and the others can reclaim.
    /// </summary>
    private static void AddRunningGangs(List<IKubernetesObject<V1ObjectMeta>> objects, Random random, int nodes, List<string> teams, double fill, DateTime started)
    {
        var gpusToFill = (long)(nodes * (long)GpusPerNode * Math.Clamp(fill, 0, 1));
        var node = 0;
        var usedOnNode = 0;
        var gang = 0;
        string[] priorityClasses = ["train", "train", "build-preemptible"];
        while (gpusToFill > 0 && node < nodes)
        {
            var size = (int)Math.Min(1 + random.Next(8), gpusToFill);
            var team = random.Next(3) < 2 ? teams[random.Next(Math.Max(1, teams.Count / 3))] : teams[random.Next(teams.Count)];
            var name = $"running-{gang:D6}";
            var ns = $"ns-{gang % 20:D2}";
            objects.Add(new PodGroup
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = ns,
                    CreationTimestamp = started,
                    Annotations = new Dictionary<string, string> { [KaiConventions.LastStartTimestampAnnotation] = started.ToString(KaiConventions.TimestampAnnotationFormat, CultureInfo.InvariantCulture) },
                },
                Spec = new PodGroupSpec { MinMember = size, Queue = team, PriorityClassName = priorityClasses[random.Next(priorityClasses.Length)] },
            });
            for (var i = 0; i < size && node < nodes; i++)
            {
                var pod = Pod(ns, $"{name}-{i}", name, team, 1, started);
                pod.Spec.NodeName = $"node-{node:D5}";
                pod.Status = new V1PodStatus { Phase = "Running", StartTime = started };
                objects.Add(pod);
                gpusToFill--;
                if (++usedOnNode == GpusPerNode)
                {
                    node++;
                    usedOnNode = 0;
                }
            }

            gang++;
        }
    }

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

    private static V1Pod Pod(string ns, string name, string group, string queue, int gpus, DateTime created, double fraction = 0) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            CreationTimestamp = created,
            Labels = new Dictionary<string, string> { [KaiConventions.QueueLabel] = queue },
            Annotations = fraction > 0
                ? new Dictionary<string, string> { [KaiConventions.PodGroupAnnotation] = group, [KaiConventions.GpuFractionAnnotation] = fraction.ToString("0.0", CultureInfo.InvariantCulture) }
                : new Dictionary<string, string> { [KaiConventions.PodGroupAnnotation] = group },
        },
        Spec = new V1PodSpec
        {
            SchedulerName = KaiConventions.SchedulerName,
            Containers =
            [
                new V1Container
                {
                    Name = "main",
                    Image = "trainer",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("32Gi") },
                        Limits = fraction > 0 ? null : new Dictionary<string, ResourceQuantity> { [KaiConventions.GpuResource] = new(gpus.ToString(CultureInfo.InvariantCulture)) },
                    },
                },
            ],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };
}
