using Kai.Cluster.Crds;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Explanations;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

public sealed class PodGroupConditionWriterTests
{
    [Fact]
    public async Task WriteAsync_Twice_KeepsOneConditionForTheNodePoolWithANewTransitionId()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();
        var writer = new PodGroupConditionWriter(cluster, clock);
        var explanation = new GroupExplanation(WriteBackCluster.Group, GroupExplanation.OverLimit, "queue q has reached its limit");

        Assert.True(await writer.WriteAsync((await cluster.GetAsync<PodGroup>("team-a", "g"))!, explanation, default));
        Assert.True(await writer.WriteAsync((await cluster.GetAsync<PodGroup>("team-a", "g"))!, explanation with { Message = "still at its limit" }, default));

        var condition = Assert.Single((await cluster.GetAsync<PodGroup>("team-a", "g"))!.Status!.SchedulingConditions!);
        Assert.Equal(("2", "default", "Unschedulable", "True"), (condition.TransitionID, condition.NodePool, condition.Reason, condition.Status));
        Assert.Equal(("OverLimit", "still at its limit"), (condition.Reasons![0].Reason, condition.Reasons[0].Message));
    }

    [Fact]
    public async Task WriteAsync_WhenTheGroupChangedMeanwhile_ReportsItWasNotWritten()
    {
        var (cluster, clock) = await WriteBackCluster.CreateAsync();
        var stale = (await cluster.GetAsync<PodGroup>("team-a", "g"))!;
        await cluster.ReplaceStatusAsync(Kai.Cluster.Port.KubeObjects.ShallowCopy(stale));

        var written = await new PodGroupConditionWriter(cluster, clock).WriteAsync(stale, new GroupExplanation(WriteBackCluster.Group, GroupExplanation.Unschedulable, "no room"), default);

        Assert.False(written);
    }
}
