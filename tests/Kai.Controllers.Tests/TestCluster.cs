using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests;

/// <summary>Objects for the embedded clusters the controller tests run on.</summary>
internal static class TestCluster
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An embedded cluster with KAI's kinds, on a fake clock at <see cref="Epoch"/>.</summary>
    public static EmbeddedCluster Create(FakeTimeProvider? time = null) => new(time ?? new FakeTimeProvider(Epoch), KaiKinds.CreateRegistry());

    /// <summary>A pod of this scheduler (kai-scheduler) asking for <paramref name="gpus"/> GPUs.</summary>
    public static V1Pod KaiPod(string name, string? ns = "team-a", int gpus = 1, string? group = null)
    {
        var pod = Pod(name, ns);
        pod.Spec.SchedulerName = "kai-scheduler";
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
        if (group is not null)
        {
            pod.Metadata.Annotations = new Dictionary<string, string> { ["pod-group-name"] = group };
        }

        return pod;
    }

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
