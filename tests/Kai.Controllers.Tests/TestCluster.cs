using k8s;
using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Grouping;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Workloads;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests;

/// <summary>
/// An embedded cluster with KAI's fresh-install objects, seeded from YAML, with the pod-grouper and (on demand) the
/// workload controllers. Pods are made by the controllers or by hand (<see cref="OwnedPodAsync"/>).
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private PodGrouper? _grouper;
    private WorkloadControllers? _controllers;

    public TestCluster(PodGrouperOptions? options = null)
    {
        Options = options ?? new PodGrouperOptions();
        Cluster = new EmbeddedCluster(Time, KaiKinds.CreateRegistry());
        Cluster.Load(FreshInstall.ObjectsMissingFrom([]));
    }

    public FakeTimeProvider Time { get; } = new(Epoch);

    public EmbeddedCluster Cluster { get; }

    public PodGrouperOptions Options { get; }

    /// <summary>Stores the objects of <paramref name="yaml"/> as <c>kubectl apply</c> would (new uids), failing on any load error.</summary>
    public async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ApplyAsync(string yaml)
    {
        var set = ManifestLoader.LoadText(yaml, "test.yaml");
        Assert.Empty(set.Errors);
        var stored = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var obj in set.Objects.Select(o => o.Object))
        {
            stored.Add(await Cluster.CreateAsync(obj));
        }

        return stored;
    }

    /// <summary>A pod of <paramref name="owner"/> (controller reference), created as its operator would.</summary>
    public async Task<V1Pod> OwnedPodAsync(
        IKubernetesObject<V1ObjectMeta>? owner,
        string name,
        IDictionary<string, string>? labels = null,
        IDictionary<string, string>? annotations = null,
        string? nodeName = null)
    {
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = owner?.Metadata.NamespaceProperty ?? "default",
                Labels = labels is null ? null : new Dictionary<string, string>(labels),
                Annotations = annotations is null ? null : new Dictionary<string, string>(annotations),
                OwnerReferences = owner is null ? null : [KubeObjects.OwnerReferenceTo(owner, Cluster.Kinds, controller: true)],
            },
            Spec = new V1PodSpec
            {
                SchedulerName = "kai-scheduler",
                NodeName = nodeName,
                Containers = [new V1Container { Name = "main", Image = "ubuntu" }],
            },
        };
        return await Cluster.CreateAsync(pod);
    }

    /// <summary>Runs the pod-grouper once; the number of pods it assigned.</summary>
    public async Task<int> GroupAsync()
    {
        _grouper ??= await PodGrouper.CreateAsync(Cluster, Options);
        return await _grouper.RunOnceAsync();
    }

    /// <summary>Runs the workload controllers once (they create the workloads' pods).</summary>
    public async Task RunWorkloadControllersAsync()
    {
        _controllers ??= await WorkloadControllers.CreateAsync(Cluster, Time);
        await _controllers.RunOnceAsync();
    }

    /// <summary>Runs the workload controllers, then the pod-grouper.</summary>
    public async Task RunControllersAndGroupAsync()
    {
        await RunWorkloadControllersAsync();
        await GroupAsync();
    }

    public async Task<V1Pod> PodAsync(string name, string ns = "default") =>
        await Cluster.GetAsync<V1Pod>(ns, name) ?? throw new InvalidOperationException($"no pod {ns}/{name}");

    /// <summary>The pod group <paramref name="pod"/> was assigned to.</summary>
    public async Task<PodGroup> GroupOfAsync(string pod, string ns = "default")
    {
        var current = await PodAsync(pod, ns);
        var name = current.Metadata.Annotations?.TryGetValue("pod-group-name", out var group) == true ? group : throw new InvalidOperationException($"pod {pod} has no pod-group-name");
        return await Cluster.GetAsync<PodGroup>(ns, name) ?? throw new InvalidOperationException($"no pod group {name}");
    }

    public async Task<IReadOnlyList<PodGroup>> PodGroupsAsync() => (await Cluster.ListAsync<PodGroup>()).Items;

    public async Task<IReadOnlyList<V1Pod>> PodsAsync() => (await Cluster.ListAsync<V1Pod>()).Items;

    /// <summary>The messages of Warning events with <paramref name="reason"/>.</summary>
    public async Task<IReadOnlyList<string>> EventsAsync(string reason) =>
        [.. (await Cluster.ListAsync<Corev1Event>()).Items.Where(e => e.Reason == reason).Select(e => e.Message)];

    public ValueTask DisposeAsync()
    {
        _grouper?.Dispose();
        _controllers?.Dispose();
        return ValueTask.CompletedTask;
    }

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
