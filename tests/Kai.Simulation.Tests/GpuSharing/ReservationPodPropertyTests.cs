using System.Globalization;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Conventions;
using Kai.Controllers.Grouping;
using Kai.Controllers.Mapping;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Time;

namespace Kai.Simulation.Tests.GpuSharing;

/// <summary>
/// KAI's hand-shake on the embedded cluster keeps exactly one reservation pod per open GPU group — a group some bound,
/// live pod is on — whatever fractional pods arrive, complete and are evicted in between scheduling cycles.
/// </summary>
public sealed class ReservationPodPropertyTests
{
    private enum OpKind
    {
        Arrive,
        Complete,
        Evict,
    }

    private sealed record Op(OpKind Kind, int Value)
    {
        public override string ToString() => $"{Kind} {Value}";
    }

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (3, Gen.Int[1, 9].Select(v => new Op(OpKind.Arrive, v))),
        (1, Gen.Int[0, 100].Select(v => new Op(OpKind.Complete, v))),
        (1, Gen.Int[0, 100].Select(v => new Op(OpKind.Evict, v))));

    [Fact]
    public async Task ReservationPods_AfterRandomArrivalsCompletionsAndEvictions_ExistExactlyForOpenGpuGroups()
    {
        var mostOpen = 0;

        await GenOp.Array[1, 24].SampleAsync(async ops => mostOpen = Math.Max(mostOpen, await RunAsync(ops)), iter: 40, threads: 1);

        // A property about groups proves nothing if no group ever opened.
        Assert.True(mostOpen >= 2, $"at most {mostOpen} GPU groups were open at once");
    }

    /// <summary>Runs the steps, checking the property after each; returns the most groups open at once.</summary>
    private static async Task<int> RunAsync(Op[] ops)
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        List<IKubernetesObject<V1ObjectMeta>> nodes = [Node("n0"), Node("n1")];
        cluster.Load([.. nodes, .. FreshInstall.ObjectsMissingFrom(nodes)]);
        using var grouper = await PodGrouper.CreateAsync(cluster);
        using var binder = await Binder.CreateAsync(cluster);
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, KaiPlugins.Registry, clock, EvictionMode.Delete, SchedulerTelemetry.None);
        var kubelet = new SimulatedKubelet(cluster, clock);

        var sharers = 0;
        var opened = 0;
        foreach (var op in ops)
        {
            await ApplyAsync(cluster, op, sharers++);
            clock.Advance(TimeSpan.FromSeconds(10));
            await binder.RunOnceAsync();
            await kubelet.RunOnceAsync();

            var (open, reservations) = await ReadAsync(cluster);
            Assert.Equal(open, reservations);
            opened = Math.Max(opened, open.Count);

            await grouper.RunOnceAsync();
            await scheduler.RunCycleAsync();
            await scheduler.FlushStatusAsync();
        }

        return opened;
    }

    private static async Task ApplyAsync(EmbeddedCluster cluster, Op op, int serial)
    {
        var pods = (await cluster.ListAsync<V1Pod>()).Items
            .Where(p => p.Metadata.NamespaceProperty == "team-a" && p.Metadata.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        switch (op.Kind)
        {
            case OpKind.Arrive:
                await cluster.CreateAsync(SharingPod($"p{serial:D3}", op.Value / 10.0));
                break;
            case OpKind.Complete when pods.Count > 0:
                var done = pods[op.Value % pods.Count];
                done.Status ??= new V1PodStatus();
                done.Status.Phase = "Succeeded";
                await cluster.ReplaceStatusAsync(done);
                break;
            case OpKind.Evict when pods.Count > 0:
                var victim = pods[op.Value % pods.Count];
                await cluster.DeleteAsync<V1Pod>("team-a", victim.Metadata.Name, gracePeriodSeconds: 15);
                break;
        }
    }

    /// <summary>
    /// The open groups — (node, group) of every bound pod that is neither being deleted nor finished — and the
    /// reservation pods not being deleted, each as a sorted list (a duplicate reservation would show).
    /// </summary>
    private static async Task<(List<string> Open, List<string> Reservations)> ReadAsync(EmbeddedCluster cluster)
    {
        var pods = (await cluster.ListAsync<V1Pod>()).Items;
        var open = pods
            .Where(p => p.Metadata.NamespaceProperty != KaiConventions.ReservationNamespace && p.Metadata.DeletionTimestamp is null
                && p.Status?.Phase is not ("Succeeded" or "Failed") && !string.IsNullOrEmpty(p.Spec?.NodeName))
            .SelectMany(p => GpuGroupLabels.Read(p.Metadata.Labels).Select(g => $"{p.Spec.NodeName}/{g}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var reservations = pods
            .Where(p => p.Metadata.NamespaceProperty == KaiConventions.ReservationNamespace && p.Metadata.DeletionTimestamp is null)
            .Select(p => $"{p.Spec.NodeName}/{p.Metadata.Labels[KaiConventions.GpuGroupLabel]}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return (open, reservations);
    }

    private static V1Node Node(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["nvidia.com/gpu.memory"] = "40960" } },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("16"),
                ["memory"] = new("64Gi"),
                ["nvidia.com/gpu"] = new("2"),
                ["pods"] = new("110"),
            },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        },
    };

    private static V1Pod SharingPod(string name, double fraction) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "team-a",
            Labels = new Dictionary<string, string> { [KaiConventions.QueueLabel] = "default-queue" },
            Annotations = new Dictionary<string, string> { [KaiConventions.GpuFractionAnnotation] = fraction.ToString("0.0", CultureInfo.InvariantCulture) },
        },
        Spec = new V1PodSpec { SchedulerName = KaiConventions.SchedulerName, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };
}
