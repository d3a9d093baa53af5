using k8s.Models;

namespace Kai.Controllers.Tests;

/// <summary>Objects for the embedded clusters the controller tests run on.</summary>
internal static class TestCluster
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static V1Pod Pod(string name, string? ns = "team-a", string? node = null, long? grace = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec
        {
            NodeName = node,
            TerminationGracePeriodSeconds = grace,
            Containers = [new V1Container { Name = "main", Image = "busybox" }],
        },
    };

    public static V1Node Node(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus { Allocatable = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("8") } },
    };
}
