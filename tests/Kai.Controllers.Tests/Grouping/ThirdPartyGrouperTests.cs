using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>Ray, JobSet, LeaderWorkerSet and Knative workloads, grouped as KAI's pod-grouper groups them.</summary>
public sealed class ThirdPartyGrouperTests
{
    private const string RayJob = """
        apiVersion: ray.io/v1
        kind: RayJob
        metadata: {name: tune, labels: {kai.scheduler/queue: research, ray.io/priority-class-name: inference}}
        spec:
          entrypoint: python tune.py
          rayClusterSpec:
            headGroupSpec:
              template:
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: head, image: ray}]
            workerGroupSpecs:
              - groupName: gpus
                replicas: 3
                minReplicas: 2
                template:
                  spec:
                    schedulerName: kai-scheduler
                    containers: [{name: worker, image: ray}]
              - replicas: 1
                numOfHosts: 2
                template:
                  spec:
                    schedulerName: kai-scheduler
                    containers: [{name: worker, image: ray}]
        """;

    [Fact]
    public async Task RunOnceAsync_WhenRayJob_GroupsItsClusterWithHeadAndWorkerGroupSubgroups()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(RayJob))[0];

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(6, (await cluster.PodsAsync()).Count);
        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-tune-{job.Metadata.Uid}", 5, "research", "inference"), (group.Metadata.Name, group.Spec.MinMember, group.Spec.Queue, group.Spec.PriorityClassName));
        Assert.Equal(["headgroup:1", "gpus:2", "worker-group-1:2"], group.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember}"));
        var labels = (await cluster.PodsAsync()).Select(p => p.Metadata.Labels["kai.scheduler/subgroup-name"]).Order(StringComparer.Ordinal);
        Assert.Equal(["gpus", "gpus", "gpus", "headgroup", "worker-group-1", "worker-group-1"], labels);
    }

    [Fact]
    public async Task RunOnceAsync_WhenRayJobHasNoClusterYet_WarnsOnThePod()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(RayJob))[0];
        await cluster.OwnedPodAsync(job, "early");

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
        var warning = Assert.Single(await cluster.EventsAsync("PodGrouperWarning"));
        Assert.StartsWith("failed to extract rayClusterName for default/tune of kind RayJob", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_WhenJobSet_MakesOneGroupWithAReplicatedJobLevelAndAReplicaLevel()
    {
        await using var cluster = new TestCluster();
        var jobSet = (await cluster.ApplyAsync("""
            apiVersion: jobset.x-k8s.io/v1alpha2
            kind: JobSet
            metadata: {name: js, labels: {kai.scheduler/queue: research}}
            spec:
              replicatedJobs:
                - name: driver
                  replicas: 1
                  template:
                    spec:
                      parallelism: 1
                      completions: 1
                      template:
                        spec:
                          schedulerName: kai-scheduler
                          containers: [{name: main, image: ubuntu}]
                - name: workers
                  replicas: 2
                  template:
                    spec:
                      parallelism: 2
                      completions: 2
                      template:
                        spec:
                          schedulerName: kai-scheduler
                          containers: [{name: main, image: ubuntu}]
            """))[0];

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(5, (await cluster.PodsAsync()).Count);
        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-js-{jobSet.Metadata.Uid}", null, 2), (group.Metadata.Name, group.Spec.MinMember, group.Spec.MinSubGroup));
        Assert.Equal(
            ["driver:-:1:", "driver-replica-0:1:-:driver", "workers:-:2:", "workers-replica-0:2:-:workers", "workers-replica-1:2:-:workers"],
            group.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}:{s.MinSubGroup?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}:{s.Parent}"));
        var leaves = (await cluster.PodsAsync()).Select(p => p.Metadata.Labels["kai.scheduler/subgroup-name"]).Order(StringComparer.Ordinal);
        Assert.Equal(["driver-replica-0", "workers-replica-0", "workers-replica-0", "workers-replica-1", "workers-replica-1"], leaves);
    }

    [Fact]
    public async Task RunOnceAsync_WhenJobSetStartsInOrder_RequiresOneReplicatedJob()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: jobset.x-k8s.io/v1alpha2
            kind: JobSet
            metadata: {name: js}
            spec:
              startupPolicy: {startupPolicyOrder: InOrder}
              replicatedJobs:
                - name: a
                  template: {spec: {template: {spec: {schedulerName: kai-scheduler, containers: [{name: main, image: ubuntu}]}}}}
                - name: b
                  template: {spec: {template: {spec: {schedulerName: kai-scheduler, containers: [{name: main, image: ubuntu}]}}}}
            """);

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(1, Assert.Single(await cluster.PodGroupsAsync()).Spec.MinSubGroup);
    }

    [Fact]
    public async Task RunOnceAsync_WhenLeaderWorkerSet_GivesEachGroupAGangWithLeaderAndWorkers()
    {
        await using var cluster = new TestCluster();
        var lws = (await cluster.ApplyAsync("""
            apiVersion: leaderworkerset.x-k8s.io/v1
            kind: LeaderWorkerSet
            metadata: {name: serve}
            spec:
              replicas: 2
              leaderWorkerTemplate:
                size: 3
                workerTemplate:
                  spec:
                    schedulerName: kai-scheduler
                    containers: [{name: main, image: vllm}]
            """))[0];

        for (var i = 0; i < 3; i++)
        {
            await cluster.RunControllersAndGroupAsync();
        }

        Assert.Equal(6, (await cluster.PodsAsync()).Count);
        var groups = (await cluster.PodGroupsAsync()).OrderBy(g => g.Metadata.Name, StringComparer.Ordinal).ToList();
        Assert.Equal([$"pg-serve-{lws.Metadata.Uid}-group-0", $"pg-serve-{lws.Metadata.Uid}-group-1"], groups.Select(g => g.Metadata.Name));
        Assert.All(groups, g => Assert.Equal(["leader:1", "workers:2"], g.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember}")));
        Assert.All(groups, g => Assert.Equal(3, g.Spec.MinMember));
        Assert.Equal(groups[1].Metadata.Name, (await cluster.PodAsync("serve-1-2")).Metadata.Annotations["pod-group-name"]);
        Assert.Equal("leader", (await cluster.PodAsync("serve-1")).Metadata.Labels["kai.scheduler/subgroup-name"]);
    }

    [Fact]
    public async Task RunOnceAsync_WhenLeaderReadyAndTheLeaderIsNotPlaced_RequiresOnlyTheLeader()
    {
        await using var cluster = new TestCluster();
        var lws = (await cluster.ApplyAsync("""
            apiVersion: leaderworkerset.x-k8s.io/v1
            kind: LeaderWorkerSet
            metadata: {name: serve}
            spec:
              startupPolicy: LeaderReady
              leaderWorkerTemplate:
                size: 4
                workerTemplate:
                  spec:
                    schedulerName: kai-scheduler
                    containers: [{name: main, image: vllm}]
            """))[0];

        await cluster.RunControllersAndGroupAsync();
        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-serve-{lws.Metadata.Uid}-group-0", 1), (group.Metadata.Name, group.Spec.MinMember));
        Assert.Equal(["serve-0"], (await cluster.PodsAsync()).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task RunOnceAsync_WhenKnativeService_GroupsEachRevisionByItsMinScale()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata: {name: hello, labels: {kai.scheduler/queue: serving}}
            spec:
              template:
                metadata:
                  annotations: {autoscaling.knative.dev/min-scale: "2"}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: user-container, image: hello}]
            """);

        for (var i = 0; i < 3; i++)
        {
            await cluster.RunControllersAndGroupAsync();
        }

        var revision = Assert.Single(await Kai.Controllers.Grouping.KindReads.ListAsync(cluster.Cluster, new KindKey("serving.knative.dev/v1", "Revision")));
        Assert.Equal("hello-00001", revision.Metadata.Name);
        Assert.Equal(2, (await cluster.PodsAsync()).Count);
        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-hello-00001-{revision.Metadata.Uid}", 2, "inference", "Revision"), (group.Metadata.Name, group.Spec.MinMember, group.Spec.PriorityClassName, group.Metadata.OwnerReferences[0].Kind));
    }
}
