using k8s.Models;
using Kai.Cluster.Manifests;
using Kai.Simulation.Workloads;

namespace Kai.Simulation.Tests.Workloads;

/// <summary>Evicted pods of workloads come back as their controllers would recreate them (<see cref="PodResubmitter"/>).</summary>
public sealed class PodResubmitterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_WhenConsolidationMovesAGangMember_RecreatesItAfterItsGracePeriodWithANewUidAndTheNominatedNode()
    {
        var result = await RunAsync("consolidation-gang.yaml", cycles: 2);

        var pod = await result.Cluster.GetAsync<V1Pod>("default", "worker-b0");
        Assert.NotNull(pod);
        Assert.NotEqual("worker-b0-first", pod.Metadata.Uid);
        Assert.Equal("node-a", pod.Status?.NominatedNodeName);
        Assert.Null(pod.Spec.NodeName);
        Assert.Equal("workers", pod.Metadata.Annotations["pod-group-name"]);
        Assert.False(pod.Metadata.Labels?.ContainsKey("runai-gpu-group") == true, "the old copy's GPU group label is a scheduling leftover");
    }

    [Fact]
    public async Task RunAsync_WhileTheEvictedPodIsTerminating_DoesNotRecreateIt()
    {
        var result = await RunAsync("consolidation-gang.yaml", cycles: 1);

        var pod = await result.Cluster.GetAsync<V1Pod>("default", "worker-b0");
        Assert.NotNull(pod);
        Assert.Equal("worker-b0-first", pod.Metadata.Uid);
        Assert.NotNull(pod.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task RunAsync_WithResubmissionOff_LeavesEvictedPodsGone()
    {
        var result = await RunAsync("consolidation-gang.yaml", cycles: 2, resubmit: false);

        Assert.Null(await result.Cluster.GetAsync<V1Pod>("default", "worker-b0"));
        Assert.Null(await result.Cluster.GetAsync<V1Pod>("default", "worker-b1"));
    }

    [Fact]
    public async Task RunAsync_WhenABarePodIsEvicted_DoesNotRecreateIt()
    {
        // consolidation.yaml moves four bare pods (no pod-group-name; the pod-grouper gives each a group of its own).
        var result = await RunAsync("consolidation.yaml", cycles: 3);

        Assert.Null(await result.Cluster.GetAsync<V1Pod>("default", "small-b0"));
        Assert.DoesNotContain(result.Report.Pods, p => p.Name.StartsWith("small-b", StringComparison.Ordinal));
    }

    [Fact]
    public void Recreated_OfABoundPod_KeepsTheTemplateAndDropsWhatSchedulingLeft()
    {
        var evicted = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "w-0",
                NamespaceProperty = "team",
                Uid = "old",
                ResourceVersion = "42",
                DeletionTimestamp = Start.UtcDateTime,
                Labels = new Dictionary<string, string> { ["app"] = "train", ["runai-gpu-group"] = "g1", ["runai-gpu-group/g2"] = "g2" },
                Annotations = new Dictionary<string, string> { ["pod-group-name"] = "w", ["received-resource-type"] = "Fraction", ["gpu-fraction"] = "0.5" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "w", Uid = "job-uid", Controller = true }],
            },
            Spec = new V1PodSpec { SchedulerName = "kai-scheduler", NodeName = "node-1", Containers = [new V1Container { Name = "main", Image = "trainer" }] },
            Status = new V1PodStatus { Phase = "Running", NominatedNodeName = "node-9" },
        };

        var recreated = PodResubmitter.Recreated(evicted);

        Assert.Equal(("team", "w-0"), (recreated.Metadata.NamespaceProperty, recreated.Metadata.Name));
        Assert.Null(recreated.Metadata.Uid);
        Assert.Null(recreated.Metadata.ResourceVersion);
        Assert.Null(recreated.Metadata.DeletionTimestamp);
        Assert.Equal(["app"], recreated.Metadata.Labels.Keys);
        Assert.Equal(["pod-group-name", "gpu-fraction"], recreated.Metadata.Annotations.Keys);
        Assert.Equal("job-uid", Assert.Single(recreated.Metadata.OwnerReferences).Uid);
        Assert.Null(recreated.Spec.NodeName);
        Assert.Equal("kai-scheduler", recreated.Spec.SchedulerName);
        Assert.Equal(new V1PodStatus { Phase = "Pending" }, recreated.Status);
        Assert.Equal("node-1", evicted.Spec.NodeName);
    }

    private static Task<SimulationResult> RunAsync(string scenario, int cycles, bool resubmit = true) =>
        SimulationRunner.RunAsync(
            ManifestLoader.LoadPaths([Path.Combine(Repository.ScenariosDirectory, "disruptive", scenario)]),
            new SimulationOptions { Cycles = cycles, Start = Start, ResubmitEvictedPods = resubmit });
}
