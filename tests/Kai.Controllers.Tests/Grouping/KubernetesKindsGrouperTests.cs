using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>Pods of Kubernetes' own workloads: Job, CronJob, Deployment, ReplicaSet, StatefulSet.</summary>
public sealed class KubernetesKindsGrouperTests
{
    private const string JobYaml = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: train
          labels: {kai.scheduler/queue: team-a}
        spec:
          parallelism: 2
          completions: 2
          template:
            spec:
              schedulerName: kai-scheduler
              restartPolicy: Never
              containers: [{name: main, image: ubuntu}]
        """;

    [Fact]
    public async Task RunOnceAsync_WhenJobPods_GroupsAllOfThemInOneGroupOfTheJob()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(JobYaml))[0];

        await cluster.RunControllersAndGroupAsync();

        var pods = await cluster.PodsAsync();
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var group = await cluster.GroupOfAsync(pod.Metadata.Name);
            Assert.Equal($"pg-train-{job.Metadata.Uid}", group.Metadata.Name);
            Assert.Equal((1, "team-a", "train"), (group.Spec.MinMember, group.Spec.Queue, group.Spec.PriorityClassName));
            Assert.Equal(("Job", job.Metadata.Uid), (group.Metadata.OwnerReferences[0].Kind, group.Metadata.OwnerReferences[0].Uid));
        }

        Assert.Single((await cluster.Cluster.ListAsync<PodGroup>()).Items);
    }

    [Fact]
    public async Task RunOnceAsync_WhenJobHasTopologyAnnotations_OneGroupCarriesTheConstraintForEveryPod()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(JobYaml.Replace(
            "labels: {kai.scheduler/queue: team-a}",
            "labels: {kai.scheduler/queue: team-a}\n  annotations: {kai.scheduler/topology: cluster-topology, kai.scheduler/topology-required-placement: rack, kai.scheduler/batch-min-member: \"2\"}",
            StringComparison.Ordinal)))[0];

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single((await cluster.Cluster.ListAsync<PodGroup>()).Items);
        Assert.Equal($"pg-train-{job.Metadata.Uid}", group.Metadata.Name);
        Assert.Equal(2, group.Spec.MinMember);
        Assert.Equal(("cluster-topology", "rack"), (group.Spec.TopologyConstraint?.Topology, group.Spec.TopologyConstraint?.RequiredTopologyLevel));
        Assert.All(await cluster.PodsAsync(), pod => Assert.Equal(group.Metadata.Name, pod.Metadata.Annotations["pod-group-name"]));
    }

    [Fact]
    public async Task RunOnceAsync_WhenJobMinMemberAnnotationIsNotANumber_WarnsAndMakesNoGroup()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync(JobYaml.Replace(
            "labels: {kai.scheduler/queue: team-a}",
            "labels: {kai.scheduler/queue: team-a}\n  annotations: {kai.scheduler/batch-min-member: two}",
            StringComparison.Ordinal));

        await cluster.RunControllersAndGroupAsync();

        Assert.Empty((await cluster.Cluster.ListAsync<PodGroup>()).Items);
        Assert.Contains(await cluster.EventsAsync("PodGrouperWarning"), m => m.Contains("kai.scheduler/batch-min-member", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnceAsync_WhenALegacyPerPodGroupExists_ThatPodKeepsItAndTheOthersJoinTheJobsGroup()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(JobYaml))[0];
        await cluster.RunWorkloadControllersAsync();
        var pods = await cluster.PodsAsync();
        var legacyName = $"pg-{pods[0].Metadata.Name}-{job.Metadata.Uid}";
        await cluster.Cluster.CreateAsync(new PodGroup
        {
            Metadata = new V1ObjectMeta { Name = legacyName, NamespaceProperty = "default" },
            Spec = new PodGroupSpec { MinMember = 1, Queue = "team-a" },
        });

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(legacyName, (await cluster.GroupOfAsync(pods[0].Metadata.Name)).Metadata.Name);
        Assert.Equal($"pg-train-{job.Metadata.Uid}", (await cluster.GroupOfAsync(pods[1].Metadata.Name)).Metadata.Name);
    }

    [Fact]
    public async Task RunOnceAsync_WhenCronJobPods_GroupsThemByTheirJob()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec:
              schedule: "*/5 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      schedulerName: kai-scheduler
                      restartPolicy: Never
                      containers: [{name: main, image: ubuntu}]
            """);
        cluster.Time.Advance(TimeSpan.FromMinutes(5));

        await cluster.RunControllersAndGroupAsync();

        var job = Assert.Single((await cluster.Cluster.ListAsync<V1Job>()).Items);
        Assert.Equal("nightly-28928165", job.Metadata.Name);
        var pod = Assert.Single(await cluster.PodsAsync());
        var group = await cluster.GroupOfAsync(pod.Metadata.Name);
        Assert.Equal($"pg-{job.Metadata.Name}-{job.Metadata.Uid}", group.Metadata.Name);
        Assert.Equal("Job", group.Metadata.OwnerReferences[0].Kind);
    }

    [Fact]
    public async Task RunOnceAsync_WhenDeploymentPods_GivesEachPodItsOwnInferenceGroupOwnedByThePod()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {kai.scheduler/queue: serving}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: main, image: nginx}]
            """);

        await cluster.RunControllersAndGroupAsync();

        var pods = await cluster.PodsAsync();
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var group = await cluster.GroupOfAsync(pod.Metadata.Name);
            Assert.Equal($"pg-{pod.Metadata.Name}-{pod.Metadata.Uid}", group.Metadata.Name);
            Assert.Equal(("inference", "serving", 1), (group.Spec.PriorityClassName, group.Spec.Queue, group.Spec.MinMember));
            Assert.Equal(("Pod", pod.Metadata.Uid), (group.Metadata.OwnerReferences[0].Kind, group.Metadata.OwnerReferences[0].Uid));
        }
    }

    [Fact]
    public async Task RunOnceAsync_WhenDeploymentNamesAPriorityClass_UsesIt()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {priorityClassName: build}}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: main, image: nginx}]
            """);

        await cluster.RunControllersAndGroupAsync();

        var pod = Assert.Single(await cluster.PodsAsync());
        Assert.Equal("build", (await cluster.GroupOfAsync(pod.Metadata.Name)).Spec.PriorityClassName);
    }

    [Theory]
    [InlineData("StatefulSet", "db")]
    [InlineData("ReplicaSet", "rs")]
    public async Task RunOnceAsync_WhenStatefulSetOrReplicaSetPods_GivesTheWorkloadOneGroupOfMinMemberOne(string kind, string name)
    {
        await using var cluster = new TestCluster();
        var policy = kind == "StatefulSet" ? "\n  podManagementPolicy: Parallel" : string.Empty;
        var owner = (await cluster.ApplyAsync("""
            apiVersion: apps/v1
            kind: KIND
            metadata: {name: NAME, labels: {team: vision}}
            spec:
              replicas: 2POLICY
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: main, image: ubuntu}]
            """.Replace("KIND", kind, StringComparison.Ordinal).Replace("NAME", name, StringComparison.Ordinal).Replace("POLICY", policy, StringComparison.Ordinal)))[0];

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal($"pg-{name}-{owner.Metadata.Uid}", group.Metadata.Name);
        Assert.Equal(1, group.Spec.MinMember);
        Assert.Equal("vision", group.Metadata.Labels["team"]);
        Assert.All(await cluster.PodsAsync(), p => Assert.Equal(group.Metadata.Name, p.Metadata.Annotations["pod-group-name"]));
    }

    [Fact]
    public async Task RunOnceAsync_WhenTopOwnerIsOfAnUnknownKind_UsesTheDefaultGrouper()
    {
        await using var cluster = new TestCluster();
        cluster.Cluster.Kinds.RegisterGeneric(new KindKey("example.com/v1", "Widget"), "widgets", KindScope.Namespaced, hasStatusSubresource: false);
        var widget = await cluster.Cluster.CreateAsync(new GenericObject
        {
            ApiVersion = "example.com/v1",
            Kind = "Widget",
            Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "gizmos" } },
        });
        await cluster.OwnedPodAsync(widget, "w-0");
        await cluster.OwnedPodAsync(widget, "w-1");

        await cluster.GroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-w-{widget.Metadata.Uid}", 1, "gizmos", "Widget"), (group.Metadata.Name, group.Spec.MinMember, group.Spec.Queue, group.Metadata.OwnerReferences[0].Kind));
        Assert.Contains("group: example.com\nversion: v1\nkind: Widget", group.Metadata.Annotations["kai.scheduler/top-owner-metadata"], StringComparison.Ordinal);
    }
}
