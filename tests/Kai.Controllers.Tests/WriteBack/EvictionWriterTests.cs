using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Tests.WriteBack;

public sealed class EvictionWriterTests
{
    private const string GuardedPod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-0, namespace: default, labels: {app: web}}
        spec:
          schedulerName: kai-scheduler
          nodeName: node-a
          containers: [{name: c, image: nginx}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: default}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: web}}
        """;

    [Fact]
    public async Task WriteAsync_WithDeletion_DeletesThePodWhateverItsBudget()
    {
        await using var test = await GuardedAsync();

        var evicted = await new EvictionWriter(test.Cluster, EvictionMode.Delete).WriteAsync(Evict("web-0"), CancellationToken.None);

        var pod = await test.Cluster.GetAsync<V1Pod>("default", "web-0");
        Assert.True(evicted);
        Assert.True(pod is null || pod.Metadata.DeletionTimestamp is not null);
    }

    [Fact]
    public async Task WriteAsync_WithTheEvictionApi_WhenTheBudgetAllowsNoDisruption_LeavesThePodRunning()
    {
        await using var test = await GuardedAsync();

        var evicted = await new EvictionWriter(test.Cluster, EvictionMode.EvictionApi).WriteAsync(Evict("web-0"), CancellationToken.None);

        var pod = await test.Cluster.GetAsync<V1Pod>("default", "web-0");
        Assert.False(evicted);
        Assert.NotNull(pod);
        Assert.Null(pod.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task WriteAsync_ForAPodAlreadyGone_ReportsNothingEvicted()
    {
        await using var test = new TestCluster();

        var evicted = await new EvictionWriter(test.Cluster, EvictionMode.EvictionApi).WriteAsync(Evict("missing"), CancellationToken.None);

        Assert.False(evicted);
    }

    /// <summary>A running, ready pod whose budget allows no disruption (status is written as the kubelet writes it).</summary>
    private static async Task<TestCluster> GuardedAsync()
    {
        var test = new TestCluster();
        await test.ApplyAsync(GuardedPod);
        var pod = (await test.Cluster.GetAsync<V1Pod>("default", "web-0"))!;
        pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };
        await test.Cluster.ReplaceStatusAsync(pod);
        return test;
    }

    private static SchedulingDecision Evict(string pod) =>
        new(ActionKind.Reclaim, DecisionKind.Evict, new PodKey("default", pod), "uid-" + pod, new NodeName("node-a"), new PodGroupKey("default", "pg-" + pod), GpuGrant.None);
}
