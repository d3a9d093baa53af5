using k8s.Models;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Binding;
using Kai.Controllers.Grouping;
using Kai.Controllers.ScaleAdjust;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Status;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Workloads;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Deployment;

/// <summary>
/// The chart's ClusterRoles grant each component exactly what its code calls: the components run a workload through
/// scheduling, reclaim (evictions), binding, status and admission on clusters that note every call as the API request
/// it is, and each component's role must allow every noted request and nothing else.
/// </summary>
public sealed class RbacTests
{
    // team-a's Job fills the node over quota; team-b's Job (quota 4) arrives next and reclaims it; a pod too big
    // for any node stays unschedulable (conditions and events); a pod whose owner is gone cannot be grouped (warning);
    // a half-GPU pod on a tainted node of its own shares a GPU (the binder's reservation pod and group label); another
    // half-GPU pod fits no node, gets a scaling pod, and goes (its scaling pod is deleted); a pod with a DRA claim on a
    // tainted node of its own gets a device (the binder writes the claim's status).
    private const string Start = """
        apiVersion: v1
        kind: Node
        metadata: {name: gpu-node}
        status: {allocatable: {cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "4"}}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: shared-node, labels: {nvidia.com/gpu.memory: "40960"}}
        spec: {taints: [{key: shared, value: "true", effect: NoSchedule}]}
        status: {allocatable: {cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "1"}}
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata: {name: team-a}
        spec: {parentQueue: default-parent-queue, resources: {gpu: {quota: 0, limit: -1, overQuotaWeight: 1}, cpu: {quota: -1, limit: -1, overQuotaWeight: 1}, memory: {quota: -1, limit: -1, overQuotaWeight: 1}}}
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata: {name: team-b}
        spec: {parentQueue: default-parent-queue, resources: {gpu: {quota: 4, limit: -1, overQuotaWeight: 1}, cpu: {quota: -1, limit: -1, overQuotaWeight: 1}, memory: {quota: -1, limit: -1, overQuotaWeight: 1}}}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: fill, labels: {kai.scheduler/queue: team-a}}
        spec:
          parallelism: 4
          completions: 4
          template:
            spec:
              schedulerName: kai-scheduler
              restartPolicy: Never
              containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 1}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: too-big, labels: {kai.scheduler/queue: team-a}}
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 16}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: half-gpu, labels: {kai.scheduler/queue: default-queue}, annotations: {gpu-fraction: "0.5"}}
        spec:
          schedulerName: kai-scheduler
          tolerations: [{key: shared, operator: Equal, value: "true", effect: NoSchedule}]
          containers: [{name: main, image: ubuntu}]
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: dra-node}
        spec: {taints: [{key: dra, value: "true", effect: NoSchedule}]}
        status: {allocatable: {cpu: "32", memory: 256Gi, pods: "110"}}
        ---
        apiVersion: resource.k8s.io/v1
        kind: DeviceClass
        metadata: {name: gpu.nvidia.com}
        spec: {}
        ---
        apiVersion: resource.k8s.io/v1
        kind: ResourceSlice
        metadata: {name: dra-node-gpus}
        spec:
          driver: gpu.nvidia.com
          nodeName: dra-node
          pool: {name: dra-node, generation: 0, resourceSliceCount: 1}
          devices: [{name: gpu-0}]
        ---
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaim
        metadata: {name: one-gpu, labels: {kai.scheduler/queue: default-queue}}
        spec:
          devices:
            requests: [{name: gpu, exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: dra-pod, labels: {kai.scheduler/queue: default-queue}}
        spec:
          schedulerName: kai-scheduler
          tolerations: [{key: dra, operator: Equal, value: "true", effect: NoSchedule}]
          resourceClaims: [{name: gpu, resourceClaimName: one-gpu}]
          containers: [{name: main, image: ubuntu, resources: {claims: [{name: gpu}]}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: half-gpu-waiting, labels: {kai.scheduler/queue: default-queue}, annotations: {gpu-fraction: "0.5"}}
        spec:
          schedulerName: kai-scheduler
          nodeSelector: {gpu-type: none-yet}
          containers: [{name: main, image: ubuntu}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: orphan
          ownerReferences: [{apiVersion: batch/v1, kind: Job, name: gone, uid: 00000000-0000-0000-0000-000000000001, controller: true}]
        spec:
          schedulerName: kai-scheduler
          containers: [{name: main, image: ubuntu}]
        """;

    private const string Reclaimer = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: reclaim, labels: {kai.scheduler/queue: team-b}}
        spec:
          parallelism: 4
          completions: 4
          template:
            spec:
              schedulerName: kai-scheduler
              restartPolicy: Never
              containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 1}}}]
        """;

    // What kai run's host does for every component: leader election on its Lease, and the SchedulingShard read at start.
    private static readonly RbacPermission[] HostPermissions =
    [
        new("coordination.k8s.io", "leases", "get"),
        new("coordination.k8s.io", "leases", "create"),
        new("coordination.k8s.io", "leases", "update"),
        new("kai.scheduler", "schedulingshards", "get"),
    ];

    [Fact]
    public async Task ClusterRoles_WhenComparedWithTheCallsOfEachComponent_GrantExactlyThose()
    {
        var used = await CallsByComponentAsync();
        var granted = GrantedByRole();

        Assert.Equal(used.Keys.Order(), granted.Keys.Order());
        foreach (var (component, calls) in used)
        {
            var expected = calls.Concat(HostPermissions).ToHashSet();
            var missing = expected.Except(granted[component]).Select(p => p.ToString()).Order().ToList();
            var unused = granted[component].Except(expected).Select(p => p.ToString()).Order().ToList();
            Assert.True(missing.Count == 0 && unused.Count == 0, $"ClusterRole {component}: missing [{string.Join(", ", missing)}]; granted but never used [{string.Join(", ", unused)}]");
        }
    }

    [Fact]
    public void ClusterRoleBindings_BindEachRoleToTheComponentsServiceAccount()
    {
        var objects = RenderedChart.Load();
        var accounts = objects.OfType<V1ServiceAccount>().Select(a => a.Metadata.Name).ToHashSet();
        var deployments = objects.OfType<V1Deployment>().ToList();

        foreach (var binding in objects.OfType<V1ClusterRoleBinding>())
        {
            var subject = Assert.Single(binding.Subjects);
            Assert.Equal(("ServiceAccount", binding.RoleRef.Name, "kai-scheduler"), (subject.Kind, subject.Name, subject.NamespaceProperty));
            Assert.Contains(subject.Name, accounts);
            Assert.Contains(deployments, d => d.Spec.Template.Spec.ServiceAccountName == subject.Name);
        }

        Assert.Equal(deployments.Count, objects.OfType<V1ClusterRoleBinding>().Count());
    }

    private static Dictionary<string, HashSet<RbacPermission>> GrantedByRole() =>
        RenderedChart.Load().OfType<V1ClusterRole>().ToDictionary(
            role => role.Metadata.Name,
            role => role.Rules.SelectMany(rule =>
                from g in rule.ApiGroups
                from r in rule.Resources
                from v in rule.Verbs
                select new RbacPermission(g, r, v)).ToHashSet());

    private static async Task<Dictionary<string, HashSet<RbacPermission>>> CallsByComponentAsync()
    {
        var time = new FakeTimeProvider(TestCluster.Epoch);
        var cluster = new EmbeddedCluster(time, KaiKinds.CreateRegistry());
        cluster.Load([.. FreshInstall.ObjectsMissingFrom([]), .. Load(Start)]);
        cluster.Admission = new KaiAdmission();

        var scheduler = new RecordingCluster(cluster);
        var binder = new RecordingCluster(cluster);
        var grouper = new RecordingCluster(cluster);
        var podGroupController = new RecordingCluster(cluster);
        var queueController = new RecordingCluster(cluster);
        var admission = new RecordingCluster(cluster);
        var scaleAdjuster = new RecordingCluster(cluster);

        using var controllers = await WorkloadControllers.CreateAsync(cluster, time);
        using var podGrouper = await PodGrouper.CreateAsync(grouper);
        using var podBinder = await Binder.CreateAsync(binder);
        using var cycles = await Scheduler.CreateAsync(scheduler, SchedulerConfiguration.Default, time);
        using var podGroupStatus = await PodGroupStatusController.CreateAsync(podGroupController);
        using var queueStatus = await QueueStatusController.CreateAsync(queueController);
        using var adjuster = await NodeScaleAdjuster.CreateAsync(scaleAdjuster, new NodeScaleAdjusterOptions(), time);
        var kubelet = new SimulatedKubelet(cluster, time);
        // As kai run's admission component: it watches queues (its reviewer reads them from the cache).
        (await admission.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Queue>()))).Dispose();
        var webhooks = new AdmissionReviewHandler(new KaiAdmission(), async c => (await admission.ListAsync<Queue>(c)).Items);

        for (var cycle = 1; cycle <= 4; cycle++)
        {
            if (cycle == 2)
            {
                foreach (var obj in Load(Reclaimer))
                {
                    await cluster.CreateAsync(obj);
                }
            }

            await controllers.RunOnceAsync();
            await podGrouper.RunOnceAsync();
            await cycles.RunCycleAsync();
            await cycles.FlushStatusAsync();
            await podGroupStatus.RunOnceAsync();
            await queueStatus.RunOnceAsync();
            await adjuster.RunOnceAsync();
            if (cycle == 1)
            {
                // A pod placed elsewhere between its bind request and the bind: the binder's failure path runs too.
                var request = (await cluster.ListAsync<BindRequest>()).Items[0];
                var pod = KubeObjects.Clone((await cluster.GetAsync<V1Pod>(request.Metadata.NamespaceProperty, request.Spec.PodName!))!);
                pod.Spec.NodeName = "elsewhere";
                await cluster.ReplaceAsync(pod);

                // The Job's priority changes and one of its pods is replaced: the pod-grouper updates the PodGroup.
                var job = KubeObjects.Clone((await cluster.GetAsync<V1Job>("default", "fill"))!);
                job.Metadata.Labels["priorityClassName"] = "build-preemptible";
                await cluster.ReplaceAsync(job);
                var other = (await cluster.ListAsync<V1Pod>()).Items.First(p => p.Metadata.Name.StartsWith("fill-", StringComparison.Ordinal) && p.Metadata.Name != pod.Metadata.Name);
                await cluster.DeleteAsync<V1Pod>(other.Metadata.NamespaceProperty, other.Metadata.Name, gracePeriodSeconds: 0);
            }

            if (cycle == 3)
            {
                // The half-GPU pod goes: its GPU group empties and the binder deletes the group's reservation pod.
                await cluster.DeleteAsync<V1Pod>("default", "half-gpu", gracePeriodSeconds: 0);

                // The waiting one goes too: the node-scale-adjuster deletes its scaling pod.
                Assert.Contains((await cluster.ListAsync<V1Pod>()).Items, p => p.Metadata.Name == "default-half-gpu-waiting");
                await cluster.DeleteAsync<V1Pod>("default", "half-gpu-waiting", gracePeriodSeconds: 0);
            }

            time.Advance(TimeSpan.FromSeconds(31));
            await podBinder.RunOnceAsync();
            await kubelet.RunOnceAsync();
        }

        var queue = System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"scheduling.run.ai/v2","kind":"Queue","metadata":{"name":"q"},"spec":{"parentQueue":"team-a","resources":{}}}""")!;
        await webhooks.ReviewAsync(AdmissionReviewHandler.ValidateQueuePath, new System.Text.Json.Nodes.JsonObject { ["request"] = new System.Text.Json.Nodes.JsonObject { ["uid"] = "1", ["operation"] = "CREATE", ["object"] = queue } }, CancellationToken.None);

        await adjuster.RunOnceAsync();
        Assert.DoesNotContain((await cluster.ListAsync<V1Pod>()).Items, p => p.Metadata.Name == "default-half-gpu-waiting");
        var claim = await cluster.GetAsync<Resourcev1ResourceClaim>("default", "one-gpu");
        Assert.True(claim?.Status?.Allocation is not null, "the DRA pod must be bound with its claim allocated, or the claim status writes go unchecked");
        var evicted = (await cluster.ListAsync<Corev1Event>()).Items.Any(e => e.Reason == "Evict");
        Assert.True(evicted, "the scenario must reclaim, or the scheduler's eviction calls go unchecked");

        var ownerKinds = new GrouperHub().Kinds
            .Select(k => new RbacPermission(k.Group, k.Kind.ToLowerInvariant() + "s", "get"))
            .Where(p => p.Group.Length > 0 || p.Resource != "pods");
        return new Dictionary<string, HashSet<RbacPermission>>
        {
            ["kai-scheduler"] = [.. scheduler.Calls],
            ["binder"] = [.. binder.Calls],
            ["pod-grouper"] = [.. grouper.Calls, .. ownerKinds],
            ["podgroup-controller"] = [.. podGroupController.Calls],
            ["queue-controller"] = [.. queueController.Calls],
            ["admission"] = [.. admission.Calls],
            ["node-scale-adjuster"] = [.. scaleAdjuster.Calls],
        };
    }

    private static IEnumerable<k8s.IKubernetesObject<V1ObjectMeta>> Load(string yaml)
    {
        var set = ManifestLoader.LoadText(yaml, "rbac.yaml");
        Assert.Empty(set.Errors);
        return set.Objects.Select(o => o.Object);
    }
}
