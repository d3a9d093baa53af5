using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;

namespace Kai.Simulation.Bootstrap;

/// <summary>
/// What a fresh KAI install puts in a cluster: the PriorityClasses train (50), build-preemptible (75),
/// build (100) and inference (125), and the queues default-parent-queue → default-queue (quota 0, limit -1,
/// weight 1 for every resource). Objects a scenario defines itself win.
/// </summary>
public static class FreshInstall
{
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> ObjectsMissingFrom(IReadOnlyCollection<IKubernetesObject<V1ObjectMeta>> scenario)
    {
        var names = new HashSet<string>(scenario.Select(o => $"{o.Kind}/{o.Metadata.Name}"), StringComparer.Ordinal);
        foreach (var (name, value) in KaiConventions.PriorityClasses)
        {
            if (!names.Contains($"PriorityClass/{name}"))
            {
                yield return new V1PriorityClass
                {
                    ApiVersion = "scheduling.k8s.io/v1",
                    Kind = "PriorityClass",
                    Metadata = new V1ObjectMeta { Name = name },
                    Value = value,
                    PreemptionPolicy = "PreemptLowerPriority",
                };
            }
        }

        if (!names.Contains($"Queue/{KaiConventions.DefaultParentQueue}"))
        {
            yield return DefaultQueue(KaiConventions.DefaultParentQueue, parent: null);
        }

        if (!names.Contains($"Queue/{KaiConventions.DefaultQueue}"))
        {
            yield return DefaultQueue(KaiConventions.DefaultQueue, KaiConventions.DefaultParentQueue);
        }
    }

    private static Queue DefaultQueue(string name, string? parent) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new QueueSpec
        {
            ParentQueue = parent,
            Resources = new QueueResources
            {
                Cpu = new QueueResource { Quota = 0, Limit = -1, OverQuotaWeight = 1 },
                Gpu = new QueueResource { Quota = 0, Limit = -1, OverQuotaWeight = 1 },
                Memory = new QueueResource { Quota = 0, Limit = -1, OverQuotaWeight = 1 },
            },
        },
    };
}
