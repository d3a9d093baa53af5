using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Grouping;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>Today's pod-grouper: a pod of ours without <c>pod-group-name</c> gets a group of one.</summary>
public sealed class PodGrouperTests
{
    [Fact]
    public async Task RunOnceAsync_ForABarePod_CreatesAGroupOfOneInItsQueueWithItsPriorityClassAndAnnotatesThePod()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "build" }, Value = 100 });
        using var grouper = await PodGrouper.CreateAsync(cluster);
        var pod = TestCluster.KaiPod("p0");
        pod.Metadata.Labels = new Dictionary<string, string> { ["kai.scheduler/queue"] = "team-a-queue", ["priorityClassName"] = "build" };
        var created = await cluster.CreateAsync(pod);

        var groups = await grouper.RunOnceAsync();

        Assert.Equal(1, groups);
        var name = PodGrouper.GroupNameFor(created);
        Assert.Equal($"pg-p0-{created.Metadata.Uid}", name);
        var group = await cluster.GetAsync<PodGroup>("team-a", name);
        Assert.NotNull(group);
        Assert.Equal((1, "team-a-queue", "build"), (group.Spec.MinMember, group.Spec.Queue, group.Spec.PriorityClassName));
        Assert.Equal(created.Metadata.Uid, Assert.Single(group.Metadata.OwnerReferences).Uid);
        Assert.Equal(name, (await cluster.GetAsync<V1Pod>("team-a", "p0"))!.Metadata.Annotations["pod-group-name"]);
    }

    [Fact]
    public async Task RunOnceAsync_WithoutAQueueLabelOrAnExistingPriorityClass_UsesDefaultQueueAndTrain()
    {
        var cluster = TestCluster.Create();
        using var grouper = await PodGrouper.CreateAsync(cluster);
        var pod = TestCluster.KaiPod("p0");
        pod.Spec.PriorityClassName = "no-such-class";
        var created = await cluster.CreateAsync(pod);

        await grouper.RunOnceAsync();

        var group = await cluster.GetAsync<PodGroup>("team-a", PodGrouper.GroupNameFor(created));
        Assert.Equal(("default-queue", "train"), (group!.Spec.Queue, group.Spec.PriorityClassName));
    }

    [Fact]
    public async Task RunOnceAsync_ForPodsThatNameAGroupOrBelongToAnotherScheduler_CreatesNothing()
    {
        var cluster = TestCluster.Create();
        using var grouper = await PodGrouper.CreateAsync(cluster);
        await cluster.CreateAsync(TestCluster.KaiPod("grouped", group: "mine"));
        await cluster.CreateAsync(TestCluster.Pod("foreign"));

        var groups = await grouper.RunOnceAsync();

        Assert.Equal(0, groups);
        Assert.Empty((await cluster.ListAsync<PodGroup>()).Items);
    }
}
