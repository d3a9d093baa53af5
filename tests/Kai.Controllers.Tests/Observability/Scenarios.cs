using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Observability;

/// <summary>Small clusters with known outcomes, and a scheduler on them with the test's telemetry.</summary>
internal static class Scenarios
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Common = """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: train}
        value: 50
        ---
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata: {name: build-preemptible}
        value: 75
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata: {name: team}
        spec:
          resources:
            gpu: {quota: 8, limit: -1, overQuotaWeight: 1}
            cpu: {quota: -1, limit: -1, overQuotaWeight: 1}
            memory: {quota: -1, limit: -1, overQuotaWeight: 1}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        status:
          allocatable: {cpu: "64", memory: 512Gi, nvidia.com/gpu: "4", pods: "110"}
        ---
        """;

    /// <summary>One pending 2-GPU pod in group <c>solo</c> (queue <c>team</c>), and a 16-GPU one in group <c>huge</c> that never fits.</summary>
    public const string BindOne = Common + "\n" + """
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: solo, namespace: default}
        spec: {minMember: 1, queue: team, priorityClassName: train}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: solo-0, namespace: default, annotations: {pod-group-name: solo}}
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: x, resources: {limits: {nvidia.com/gpu: "2"}}}]
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: huge, namespace: default}
        spec: {minMember: 1, queue: team, priorityClassName: train}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: huge-0, namespace: default, annotations: {pod-group-name: huge}}
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: x, resources: {limits: {nvidia.com/gpu: "16"}}}]
        """;

    /// <summary>Group <c>low</c> (train) runs two 2-GPU pods on the only node; group <c>urgent</c> (build-preemptible, same queue) needs all 4 GPUs: preempt evicts both.</summary>
    public const string PreemptTwo = Common + "\n" + """
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: low, namespace: default, uid: low-uid}
        spec: {minMember: 1, queue: team, priorityClassName: train}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: low-0, namespace: default, annotations: {pod-group-name: low}}
        spec:
          schedulerName: kai-scheduler
          nodeName: node-a
          containers: [{name: main, image: x, resources: {limits: {nvidia.com/gpu: "2"}}}]
        status: {phase: Running}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: low-1, namespace: default, annotations: {pod-group-name: low}}
        spec:
          schedulerName: kai-scheduler
          nodeName: node-a
          containers: [{name: main, image: x, resources: {limits: {nvidia.com/gpu: "2"}}}]
        status: {phase: Running}
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: urgent, namespace: default}
        spec: {minMember: 1, queue: team, priorityClassName: build-preemptible}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: urgent-0, namespace: default, annotations: {pod-group-name: urgent}}
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: x, resources: {limits: {nvidia.com/gpu: "4"}}}]
        """;

    /// <summary>
    /// Loads <paramref name="manifests"/> at <see cref="Start"/>, lets <paramref name="wait"/> pass on the clock
    /// (so pods are that old when the cycle runs) and creates a scheduler with <paramref name="telemetry"/>.
    /// </summary>
    public static async Task<Scheduler> SchedulerAsync(string manifests, SchedulerTelemetry telemetry, TimeSpan wait = default) =>
        (await StartAsync(manifests, telemetry, wait)).Scheduler;

    /// <summary>As <see cref="SchedulerAsync"/>, with the cluster it runs on.</summary>
    public static async Task<(Scheduler Scheduler, EmbeddedCluster Cluster)> StartAsync(string manifests, SchedulerTelemetry telemetry, TimeSpan wait = default)
    {
        var clock = new FakeTimeProvider(Start);
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        var loaded = ManifestLoader.LoadText(manifests, "scenario.yaml");
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        cluster.Load(loaded.Objects.Select(o => o.Object));
        clock.Advance(wait);
        return (await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, KaiPlugins.Registry, clock, EvictionMode.Delete, telemetry), cluster);
    }
}
