using k8s.Models;

namespace Kai.ApiServer.Tests;

/// <summary>Builders for the objects the tests send.</summary>
internal static class Objects
{
    public static V1Pod Pod(string name, string ns = "default", IDictionary<string, string>? labels = null, string? node = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PodSpec
        {
            NodeName = node,
            SchedulerName = "kai-scheduler",
            Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }],
        },
    };

    public static V1Node Node(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["nvidia.com/gpu"] = new("8") },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };
}
