using System.Globalization;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Controllers.Binding;
using Kai.Controllers.Grouping;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Simulation;
using Kai.Simulation.Kubelet;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// The components of <c>kai run</c> — pod-grouper, scheduler, binder — on the KubernetesClient backend, against kai
/// serve over HTTP, decide exactly what <c>kai simulate</c> decides on the same files, cycle by cycle.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T08:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>Each scenario over HTTP/1.1 and over HTTP/2 with prior knowledge (the server's second port).</summary>
    public static TheoryData<string, int, bool> Scenarios => new()
    {
        { "tests/kai-examples/docs/quickstart/default-queues.yaml tests/kai-examples/docs/quickstart/pods", 1, false },
        { "tests/kai-examples/docs/priority/example/limited-queue.yaml tests/kai-examples/docs/priority/example/train-priority-pod.yaml tests/kai-examples/docs/priority/example/build-priority-pod.yaml", 2, false },
        { "examples/quickstart.yaml", 2, false },
        { "examples/reclaim.yaml", 3, false },
        { "tests/kai-examples/docs/quickstart/default-queues.yaml tests/kai-examples/docs/quickstart/pods", 1, true },
        { "examples/quickstart.yaml", 2, true },
        { "examples/reclaim.yaml", 3, true },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Components_OnTheKubernetesBackend_DecideAsKaiSimulateDoes(string files, int cycles, bool http2)
    {
        var manifests = LiveApi.Load(files.Split(' '));
        var simulated = await SimulationRunner.RunAsync(manifests, new SimulationOptions { Start = Start, Cycles = cycles, ResubmitEvictedPods = false });
        var expected = simulated.Report.Decisions.Select(d => $"{d.Cycle} {d.Action} {d.Kind} {d.Pod} {d.Node}").ToList();

        var time = new FakeTimeProvider(Start);
        await using var api = await LiveApi.StartAsync(manifests, time, http2: http2);
        var ct = LiveApi.Timeout();
        var actual = await RunCyclesAsync(api, time, cycles, ct);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Binder_OnTheKubernetesBackend_BindsThroughTheBindingSubresource()
    {
        var manifests = LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml", "tests/kai-examples/docs/quickstart/pods");
        var time = new FakeTimeProvider(Start);
        await using var api = await LiveApi.StartAsync(manifests, time);
        var ct = LiveApi.Timeout();

        await RunCyclesAsync(api, time, 2, ct);
        var pods = (await api.Server.Cluster.ListAsync<k8s.Models.V1Pod>(ct)).Items;
        var requests = (await api.Server.Cluster.ListAsync<Kai.Cluster.Crds.BindRequest>(ct)).Items;

        Assert.All(pods, p => Assert.False(string.IsNullOrEmpty(p.Spec.NodeName)));
        Assert.All(requests, r => Assert.Equal("Succeeded", r.Status?.Phase));
        Assert.All(pods, p => Assert.Contains(p.Status.Conditions ?? [], c => c.Type == "PodScheduled" && c.Status == "True"));
    }

    /// <summary>
    /// Drives the components as <c>kai simulate</c> does — binder and kubelet between cycles, pod-grouper then
    /// scheduler each cycle — with the grouper, scheduler and binder on the backend and the kubelet, which runs on
    /// the nodes, on the server's store; each step starts once the backend has caught up with the server.
    /// </summary>
    private static async Task<List<string>> RunCyclesAsync(LiveApi api, FakeTimeProvider time, int cycles, CancellationToken ct)
    {
        var cluster = api.Cluster;
        using var grouper = await PodGrouper.CreateAsync(cluster, cancellationToken: ct);
        using var binder = await Binder.CreateAsync(cluster, ct);
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, time, ct);
        var kubelet = new SimulatedKubelet(api.Server.Cluster, time);
        var decisions = new List<string>();
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            if (cycle > 1)
            {
                time.Advance(TimeSpan.FromSeconds(30));
                await api.SettleAsync(ct);
                await binder.RunOnceAsync(ct);
                await api.SettleAsync(ct);
                await kubelet.RunOnceAsync(ct);
            }

            await api.SettleAsync(ct);
            await grouper.RunOnceAsync(ct);
            await api.SettleAsync(ct);
            var outcome = await scheduler.RunCycleAsync(ct);
            await scheduler.FlushStatusAsync();
            decisions.AddRange(outcome.Result.Decisions.Select(d =>
                $"{cycle} {ActionNames.Of(d.Action)} {(d.Kind switch { DecisionKind.Bind => "bind", DecisionKind.Pipeline => "pipeline", _ => "evict" })} {d.Pod} {d.Node}"));
        }

        await api.SettleAsync(ct);
        await binder.RunOnceAsync(ct);
        await api.SettleAsync(ct);
        return decisions;
    }
}
