using k8s.Models;
using Kai.Cluster.Crds;
using PodGroup = Kai.Cluster.Crds.PodGroup;
using Kai.Cluster.Embedded;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

/// <summary>An embedded cluster with a pod group <c>team-a/g</c> of pods p0 and p1, and decisions about them.</summary>
internal static class WriteBackCluster
{
    public static async Task<(EmbeddedCluster Cluster, FakeTimeProvider Clock)> CreateAsync()
    {
        var clock = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = TestCluster.Create(clock);
        await cluster.CreateAsync(TestCluster.Node("n0"));
        await cluster.CreateAsync(new PodGroup
        {
            Metadata = new V1ObjectMeta { Name = "g", NamespaceProperty = "team-a" },
            Spec = new PodGroupSpec { MinMember = 1, Queue = "q" },
        });
        await cluster.CreateAsync(TestCluster.KaiPod("p0", group: "g"));
        await cluster.CreateAsync(TestCluster.KaiPod("p1", group: "g"));
        return (cluster, clock);
    }

    public static PodGroupKey Group { get; } = new("team-a", "g");

    public static SchedulingDecision Decision(DecisionKind kind, string pod, GpuGrant? gpu = null, ActionKind action = ActionKind.Allocate, PodGroupKey? preemptor = null, string? cause = null) =>
        new(action, kind, new PodKey("team-a", pod), $"uid-{pod}", new NodeName("n0"), Group, gpu ?? GpuGrant.Whole(1000), preemptor, cause);

    public static async Task<List<Corev1Event>> EventsAsync(EmbeddedCluster cluster) => [.. (await cluster.ListAsync<Corev1Event>()).Items];
}
