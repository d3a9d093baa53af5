using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>Pods without owners, and the queue and priority rules every grouper shares.</summary>
public sealed class BarePodGrouperTests
{
    [Fact]
    public async Task RunOnceAsync_WhenPodHasNoOwner_GivesItAGroupOfItsOwn()
    {
        await using var cluster = new TestCluster();
        var pod = await cluster.OwnedPodAsync(null, "solo", labels: new Dictionary<string, string> { ["kai.scheduler/queue"] = "team-a" });

        await cluster.GroupAsync();

        var group = await cluster.GroupOfAsync("solo");
        Assert.Equal($"pg-solo-{pod.Metadata.Uid}", group.Metadata.Name);
        Assert.Equal((1, "team-a", "train"), (group.Spec.MinMember, group.Spec.Queue, group.Spec.PriorityClassName));
        var owner = Assert.Single(group.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Pod", "solo", pod.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.Contains("kind: Pod", group.Metadata.Annotations["kai.scheduler/top-owner-metadata"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnceAsync_WhenNoQueueLabel_UsesDefaultQueue()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(null, "p");

        await cluster.GroupAsync();

        Assert.Equal("default-queue", (await cluster.GroupOfAsync("p")).Spec.Queue);
    }

    [Fact]
    public async Task RunOnceAsync_WhenOnlyAProjectLabel_NamesTheQueueAfterProjectAndNodePool()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(null, "p", labels: new Dictionary<string, string> { ["project"] = "vision", ["kai.scheduler/node-pool"] = "a100" });

        await cluster.GroupAsync();

        var group = await cluster.GroupOfAsync("p");
        Assert.Equal("vision-a100", group.Spec.Queue);
        Assert.Equal("a100", group.Metadata.Labels["kai.scheduler/node-pool"]);
    }

    [Theory]
    [InlineData("inference", null, "inference")]
    [InlineData(null, "build", "build")]
    [InlineData("no-such-class", "build", "train")]
    [InlineData(null, null, "train")]
    public async Task RunOnceAsync_WhenPriorityComesFromLabelOrSpec_PicksTheFirstPresentIfItExists(string? label, string? spec, string expected)
    {
        await using var cluster = new TestCluster();
        var labels = label is null ? null : new Dictionary<string, string> { ["priorityClassName"] = label };
        var pod = await cluster.OwnedPodAsync(null, "p", labels: labels);
        if (spec is not null)
        {
            await cluster.Cluster.ReplaceAsync(pod with { Spec = pod.Spec with { PriorityClassName = spec } });
        }

        await cluster.GroupAsync();

        Assert.Equal(expected, (await cluster.GroupOfAsync("p")).Spec.PriorityClassName);
    }

    [Fact]
    public async Task RunOnceAsync_WhenPreemptibilityLabelAndDelays_CopiesThemToTheGroup()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(
            null,
            "p",
            labels: new Dictionary<string, string> { ["kai.scheduler/preemptibility"] = "non-preemptible" },
            annotations: new Dictionary<string, string> { ["kai.scheduler/preemption-delay"] = "5m", ["kai.scheduler/staleness-grace-period"] = "-1s" });

        await cluster.GroupAsync();

        var spec = (await cluster.GroupOfAsync("p")).Spec;
        Assert.Equal(("non-preemptible", "5m", "-1s"), (spec.Preemptibility, spec.PreemptionDelay, spec.StalenessGracePeriod));
    }

    [Fact]
    public async Task RunOnceAsync_WhenPreemptionDelayIsNegativeOrInvalid_LeavesItOut()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(null, "p", annotations: new Dictionary<string, string> { ["kai.scheduler/preemption-delay"] = "-5m", ["kai.scheduler/staleness-grace-period"] = "soon" });

        await cluster.GroupAsync();

        var spec = (await cluster.GroupOfAsync("p")).Spec;
        Assert.Equal((null, null), (spec.PreemptionDelay, spec.StalenessGracePeriod));
    }

    [Fact]
    public async Task RunOnceAsync_WhenSparkDriverPod_JoinsTheGroupNamedBySparkAppSelector()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(null, "driver", labels: new Dictionary<string, string> { ["spark-app-name"] = "pi", ["spark-app-selector"] = "spark-123" });

        await cluster.GroupAsync();

        Assert.Equal("spark-123", (await cluster.GroupOfAsync("driver")).Metadata.Name);
    }

    [Fact]
    public async Task RunOnceAsync_WhenPodNamesAGroupAndHasNoOwner_LeavesItAlone()
    {
        await using var cluster = new TestCluster();
        await cluster.OwnedPodAsync(null, "mine", annotations: new Dictionary<string, string> { ["pod-group-name"] = "hand-made" });

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
        Assert.Equal("hand-made", (await cluster.PodAsync("mine")).Metadata.Annotations["pod-group-name"]);
    }

    [Fact]
    public async Task RunOnceAsync_WhenPodHasAnotherSchedulerName_LeavesItAlone()
    {
        await using var cluster = new TestCluster();
        var pod = await cluster.OwnedPodAsync(null, "other");
        await cluster.Cluster.ReplaceAsync(pod with { Spec = pod.Spec with { SchedulerName = "default-scheduler" } });

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
    }

    [Fact]
    public async Task RunOnceAsync_WhenPerKindDefaultsConfigMapIsSet_UsesItsPriorityAndPreemptibility()
    {
        await using var cluster = new TestCluster(new Controllers.Grouping.PodGrouperOptions { DefaultsConfigMapName = "defaults", DefaultsConfigMapNamespace = "kai-scheduler" });
        await cluster.Cluster.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "defaults", NamespaceProperty = "kai-scheduler" },
            Data = new Dictionary<string, string> { ["types"] = """[{"typeName": "Pod", "priorityName": "build", "preemptibility": "Preemptible"}]""" },
        });
        await cluster.OwnedPodAsync(null, "p");

        await cluster.GroupAsync();

        var spec = (await cluster.GroupOfAsync("p")).Spec;
        Assert.Equal(("build", PodGroupPreemptibility.Preemptible), (spec.PriorityClassName, spec.Preemptibility));
    }
}
