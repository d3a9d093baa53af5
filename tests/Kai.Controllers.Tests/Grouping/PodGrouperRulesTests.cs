using System.Text.Json;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>How the pod-grouper treats owners, updates and opt-outs, whatever the kind.</summary>
public sealed class PodGrouperRulesTests
{
    [Fact]
    public async Task RunOnceAsync_WhenPodOptsOut_CreatesNoGroup()
    {
        await using var cluster = new TestCluster();
        var set = await StatefulSetAsync(cluster);
        await cluster.OwnedPodAsync(set, "db-0", annotations: new Dictionary<string, string> { ["kai.scheduler/skip-podgrouper"] = "true" });

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
    }

    [Fact]
    public async Task RunOnceAsync_WhenAnOwnerOptsOut_CreatesNoGroup()
    {
        await using var cluster = new TestCluster();
        var set = await StatefulSetAsync(cluster, annotations: new Dictionary<string, string> { ["kai.scheduler/skip-podgrouper"] = "true" });
        await cluster.OwnedPodAsync(set, "db-0");

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheOwnerIsMissing_WarnsWithPodGrouperWarningAndRetriesLater()
    {
        await using var cluster = new TestCluster();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "orphan",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "gone", Uid = "u-1", Controller = true }],
            },
            Spec = new V1PodSpec { SchedulerName = "kai-scheduler", Containers = [new V1Container { Name = "main" }] },
        };
        await cluster.Cluster.CreateAsync(pod);

        await cluster.GroupAsync();
        await cluster.GroupAsync();

        var warning = Assert.Single((await cluster.Cluster.ListAsync<Corev1Event>()).Items, e => e.Reason == "PodGrouperWarning");
        Assert.Equal(("Warning", "orphan", 1), (warning.Type, warning.InvolvedObject.Name, warning.Count));
        Assert.Equal("failed to find ReplicaSet: <default/gone>, uid: <u-1>: replicasets \"gone\" not found", warning.Message);

        await cluster.Cluster.CreateAsync(new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "gone", NamespaceProperty = "default" }, Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector() } });
        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync()); // the new ReplicaSet has another uid: still not its owner
        Assert.Contains(await cluster.EventsAsync("PodGrouperWarning"), m => m.Contains("owner resource with uid u-1 not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnceAsync_WhenAnOwnerHasTwoOwners_Warns()
    {
        await using var cluster = new TestCluster();
        var first = await StatefulSetAsync(cluster, name: "a");
        var second = await StatefulSetAsync(cluster, name: "b");
        var middle = await cluster.Cluster.CreateAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = "shared",
                NamespaceProperty = "default",
                OwnerReferences = [KubeObjects.OwnerReferenceTo(first, cluster.Cluster.Kinds), KubeObjects.OwnerReferenceTo(second, cluster.Cluster.Kinds)],
            },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector() },
        });
        await cluster.OwnedPodAsync(middle, "p");

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
        Assert.Equal(["found ReplicaSet <shared in namespace default> with multiple owners: StatefulSet/a, StatefulSet/b"], await cluster.EventsAsync("PodGrouperWarning"));
    }

    [Fact]
    public async Task RunOnceAsync_WhenTheWorkloadChanges_UpdatesTheGroupButNeverItsQueue()
    {
        await using var cluster = new TestCluster();
        var job = await cluster.Cluster.CreateAsync(new GenericObject
        {
            ApiVersion = "kubeflow.org/v1",
            Kind = "TFJob",
            Metadata = new V1ObjectMeta { Name = "tf", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "first" } },
            Fields = new Dictionary<string, JsonElement> { ["spec"] = Spec("""{"tfReplicaSpecs": {"Worker": {"replicas": 2}}}""") },
        });
        await cluster.OwnedPodAsync(job, "tf-worker-0");
        await cluster.GroupAsync();
        var changed = job.WithField("spec", Spec("""{"tfReplicaSpecs": {"Worker": {"replicas": 4}}}"""));
        changed.Metadata = job.Metadata with { Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "second", ["team"] = "ml" }, ResourceVersion = null };
        await cluster.Cluster.ReplaceAsync(changed);
        await cluster.OwnedPodAsync(job, "tf-worker-1");

        await cluster.GroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal((4, "first", "first", "ml"), (group.Spec.MinMember, group.Spec.Queue, group.Metadata.Labels["kai.scheduler/queue"], group.Metadata.Labels["team"]));
    }

    [Fact]
    public async Task RunOnceAsync_WhenSchedulerSettingsWereChanged_KeepsThem()
    {
        await using var cluster = new TestCluster();
        var set = await StatefulSetAsync(cluster);
        await cluster.OwnedPodAsync(set, "db-0");
        await cluster.GroupAsync();
        var group = Assert.Single(await cluster.PodGroupsAsync());
        group.Spec.MarkUnschedulable = false;
        group.Spec.SchedulingBackoff = 1;
        await cluster.Cluster.ReplaceAsync(group);

        await cluster.OwnedPodAsync(set, "db-1");
        await cluster.GroupAsync();

        var kept = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal((false, 1), (kept.Spec.MarkUnschedulable, kept.Spec.SchedulingBackoff));
    }

    [Fact]
    public async Task RunOnceAsync_WhenAPodGroupNamedByThePodIsThere_StillAssignsTheOwnersGroup()
    {
        await using var cluster = new TestCluster();
        var set = await StatefulSetAsync(cluster);
        await cluster.OwnedPodAsync(set, "db-0", annotations: new Dictionary<string, string> { ["pod-group-name"] = "wrong" });

        await cluster.GroupAsync();

        Assert.Equal($"pg-db-{set.Metadata.Uid}", (await cluster.PodAsync("db-0")).Metadata.Annotations["pod-group-name"]);
    }

    [Fact]
    public async Task RunOnceAsync_WhenRunAgainWithoutChanges_WritesNothing()
    {
        await using var cluster = new TestCluster();
        var set = await StatefulSetAsync(cluster);
        await cluster.OwnedPodAsync(set, "db-0");
        await cluster.GroupAsync();
        var version = cluster.Cluster.ResourceVersion;

        var assigned = await cluster.GroupAsync();

        Assert.Equal((0, version), (assigned, cluster.Cluster.ResourceVersion));
    }

    private static async Task<V1StatefulSet> StatefulSetAsync(TestCluster cluster, string name = "db", IDictionary<string, string>? annotations = null) =>
        await cluster.Cluster.CreateAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Annotations = annotations },
            Spec = new V1StatefulSetSpec { Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        });

    private static JsonElement Spec(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
