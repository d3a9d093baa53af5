using System.Globalization;
using k8s.Models;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Manifests;
using Kai.Controllers.Grouping;
using Kai.Controllers.ScaleAdjust;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>The node-scale-adjuster on the KubernetesClient backend, against kai serve over HTTP.</summary>
public sealed class NodeScaleAdjusterTests
{
    // The chart creates the scaling pods' namespace; an API server refuses pods in a namespace that does not exist.
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: kai-scale-adjust}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: gpu-1}
        status: {allocatable: {cpu: "32", memory: 128Gi, pods: "110", nvidia.com/gpu: "1"}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: filler, labels: {kai.scheduler/queue: default-queue}}
        spec:
          schedulerName: kai-scheduler
          nodeName: gpu-1
          containers: [{name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "1"}}}]
        status: {phase: Running}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: half, labels: {kai.scheduler/queue: default-queue}, annotations: {gpu-fraction: "0.5", gpu-fraction-num-devices: "2"}}
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: trainer, resources: {requests: {cpu: 250m}}}]
        """;

    [Fact]
    public async Task RunOnceAsync_OnTheKubernetesBackend_CreatesAScalingPodForAnUnschedulableSharingPodAndRemovesItWithThePod()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T08:00:00Z", CultureInfo.InvariantCulture));
        await using var api = await LiveApi.StartAsync(ManifestLoader.LoadText(Manifests, "scale.yaml"), time);
        var ct = LiveApi.Timeout();
        using var grouper = await PodGrouper.CreateAsync(api.Cluster, cancellationToken: ct);
        using var scheduler = await Scheduler.CreateAsync(api.Cluster, SchedulerConfiguration.Default, time, ct);
        using var adjuster = await NodeScaleAdjuster.CreateAsync(api.Cluster, new NodeScaleAdjusterOptions(), time, cancellationToken: ct);

        await api.SettleAsync(ct);
        await grouper.RunOnceAsync(ct);
        await api.SettleAsync(ct);
        await scheduler.RunCycleAsync(ct);
        await scheduler.FlushStatusAsync();
        await api.SettleAsync(ct);
        var created = await adjuster.RunOnceAsync(ct);

        Assert.Equal(1, created);
        var scaling = (await api.Server.Cluster.GetAsync<V1Pod>("kai-scale-adjust", "default-half", ct))!;
        Assert.Equal(("2", "250m"), (scaling.Spec.Containers[0].Resources.Requests["nvidia.com/gpu"].ToString(), scaling.Spec.Containers[0].Resources.Requests["cpu"].ToString()));
        Assert.Contains(scaling.Status.Conditions, c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" });

        await api.Server.Cluster.DeleteAsync<V1Pod>("default", "half", gracePeriodSeconds: 0, cancellationToken: ct);
        await api.SettleAsync(ct);
        var removed = await adjuster.RunOnceAsync(ct);

        Assert.Equal(1, removed);
        Assert.Null(await api.Server.Cluster.GetAsync<V1Pod>("kai-scale-adjust", "default-half", ct));
    }
}
