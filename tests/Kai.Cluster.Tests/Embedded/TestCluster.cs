using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>Builders for embedded clusters and objects used across the tests.</summary>
internal static class TestCluster
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static EmbeddedCluster Create(FakeTimeProvider? time = null, EmbeddedClusterOptions? options = null)
    {
        var kinds = KindRegistry.CreateWithBuiltIns();
        kinds.Register<Widget>(KindScope.Namespaced);
        return new EmbeddedCluster(time ?? new FakeTimeProvider(Epoch), kinds, options);
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

    public static Widget Widget(string name, int size = 1, string? ns = "team-a") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new WidgetSpec(size),
    };

    /// <summary>A pod running on a node, seeded with its status as a kubelet would have reported it.</summary>
    public static async Task<V1Pod> RunningPodAsync(EmbeddedCluster cluster, string name, string node, long? grace = null)
    {
        var created = await cluster.CreateAsync(Pod(name, node: node, grace: grace));
        return await cluster.ReplaceStatusAsync(created with { Status = new V1PodStatus { Phase = "Running" } });
    }

    public static List<ClusterChange> Drain(IChangeFeed feed)
    {
        var changes = new List<ClusterChange>();
        while (feed.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }
}
