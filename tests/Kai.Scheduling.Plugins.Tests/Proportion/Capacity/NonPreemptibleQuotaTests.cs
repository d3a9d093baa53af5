using Kai.Scheduling.Explanations;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Proportion.Capacity;

/// <summary>Non-preemptible groups may not take more than the quota (spec §3.4); preemptible ones may.</summary>
public sealed class NonPreemptibleQuotaTests
{
    [Fact]
    public void RunCycle_WhenNonPreemptibleJobExceedsQuota_IsRefused()
    {
        var cluster = OneQueueWithQuota(2).With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 3));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            new GroupExplanation(A.GroupKey("serve"), GroupExplanation.NonPreemptibleOverQuota,
                "non-preemptible workload is over quota: it requests 3 GPUs, queue team-a quota is 2 GPUs, and 0 GPUs are already allocated to non-preemptible pods. " +
                "Use a preemptible workload (priority below 100, or preemptibility: preemptible) to go over quota."),
            Assert.Single(result.Explanations));
    }

    [Fact]
    public void RunCycle_WhenPreemptibleJobExceedsQuota_IsPlaced()
    {
        var cluster = OneQueueWithQuota(2).With(A.PodGroup("train").InQueue("team-a").Priority(50).Members(1, gpu: 3));

        var result = cluster.Run();

        Assert.Equal(["train-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenHighPriorityJobIsMarkedPreemptible_MayExceedQuota()
    {
        var cluster = OneQueueWithQuota(2).With(A.PodGroup("train").InQueue("team-a").Priority(125).Preemptible(true).Members(1, gpu: 3));

        var result = cluster.Run();

        Assert.Equal(["train-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenNonPreemptibleJobFitsTheQuota_IsPlaced()
    {
        var cluster = OneQueueWithQuota(2).With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Equal(["serve-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenQuotaIsUsedByPreemptiblePods_NonPreemptibleJobStillFits()
    {
        var cluster = OneQueueWithQuota(2)
            .With(A.PodGroup("train").InQueue("team-a").Members(1, gpu: 2, with: p => p.Running("n1")))
            .With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Equal(["serve-0@n1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenQuotaIsUsedByNonPreemptiblePods_NonPreemptibleJobIsRefused()
    {
        var cluster = OneQueueWithQuota(2)
            .With(A.PodGroup("serve-old").InQueue("team-a").Priority(125).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 2));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Contains("and 1 GPUs are already allocated to non-preemptible pods", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenAnAncestorsQuotaIsExceeded_IsRefusedNamingTheAncestor()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("dept").Gpu(quota: 2), A.Queue("team-a").Parent("dept").Gpu(quota: -1))
            .With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 3));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Contains("queue dept quota is 2 GPUs", Assert.Single(result.Explanations).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenQuotaIsUnlimited_NonPreemptibleJobIsPlaced()
    {
        var cluster = OneQueueWithQuota(-1).With(A.PodGroup("serve").InQueue("team-a").Priority(100).Members(1, gpu: 8));

        var result = cluster.Run();

        Assert.Equal(["serve-0@n1"], result.Binds());
    }

    private static Cluster OneQueueWithQuota(double gpus) => new Cluster()
        .With(A.Node("n1").Gpus(8))
        .With(A.Queue("team-a").Gpu(quota: gpus, limit: -1));
}
