using k8s.Models;

namespace Kai.Cluster.Kubernetes.Tests.Harness;

/// <summary>Small pods for the scheduler: KAI's scheduler name, the default queue, a tenth of a CPU.</summary>
internal static class Pods
{
    public static V1Pod Small(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "default-queue" } },
        Spec = new V1PodSpec
        {
            SchedulerName = "kai-scheduler",
            Containers = [new V1Container { Name = "main", Image = "busybox", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") } } }],
        },
    };
}
