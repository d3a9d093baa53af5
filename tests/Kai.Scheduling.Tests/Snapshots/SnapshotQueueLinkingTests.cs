using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Snapshots;

public sealed class SnapshotQueueLinkingTests
{
    [Fact]
    public void Build_WhenTreeIsValid_LinksParentsChildrenAndTopLevel()
    {
        var cluster = new Cluster().WithoutDefaultQueue()
            .With(A.Queue("dept"), A.Queue("team-b").Parent("dept"), A.Queue("team-a").Parent("dept"), A.Queue("other"));

        var snapshot = cluster.Snapshot();

        var dept = snapshot.Queue("dept");
        Assert.Equal(["dept", "other", "team-a", "team-b"], snapshot.Queues.Select(q => q.Name));
        Assert.Equal([dept, snapshot.Queue("other")], snapshot.TopLevelQueues);
        Assert.Equal([snapshot.Queue("team-a"), snapshot.Queue("team-b")], snapshot.ChildrenOf(dept));
        Assert.Equal(dept, snapshot.ParentOf(snapshot.Queue("team-a")));
        Assert.False(snapshot.IsLeaf(dept));
        Assert.True(snapshot.IsLeaf(snapshot.Queue("team-a")));
        Assert.Empty(snapshot.Issues);
    }

    [Fact]
    public void Build_WhenParentIsMissing_DropsQueueWithIssueNamingTheParent()
    {
        var cluster = new Cluster().WithoutDefaultQueue().With(A.Queue("team"), A.Queue("orphan").Parent("ghost"));

        var snapshot = cluster.Snapshot();

        Assert.Equal(["team"], snapshot.Queues.Select(q => q.Name));
        var issue = Assert.Single(snapshot.Issues);
        Assert.Equal("Queue orphan", issue.ObjectRef);
        Assert.Contains("'ghost', which does not exist", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenDescendantSortsBeforeQueueWithMissingParent_DropsBothWithIssues()
    {
        var cluster = new Cluster().WithoutDefaultQueue().With(A.Queue("z-dept").Parent("ghost"), A.Queue("a-team").Parent("z-dept"));

        var snapshot = cluster.Snapshot();

        Assert.Empty(snapshot.Queues);
        Assert.Equal(["Queue a-team", "Queue z-dept"], snapshot.Issues.Select(i => i.ObjectRef).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_WhenDescendantSortsAfterQueueWithMissingParent_DropsBothWithIssues()
    {
        var cluster = new Cluster().WithoutDefaultQueue().With(A.Queue("dept").Parent("ghost"), A.Queue("team").Parent("dept"));

        var snapshot = cluster.Snapshot();

        Assert.Empty(snapshot.Queues);
        Assert.Equal(["Queue dept", "Queue team"], snapshot.Issues.Select(i => i.ObjectRef).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_WhenQueuesFormACycle_DropsThemWithCycleIssues()
    {
        var cluster = new Cluster().WithoutDefaultQueue().With(A.Queue("x").Parent("y"), A.Queue("y").Parent("x"), A.Queue("ok"));

        var snapshot = cluster.Snapshot();

        Assert.Equal(["ok"], snapshot.Queues.Select(q => q.Name));
        Assert.Equal(["Queue x", "Queue y"], snapshot.Issues.Select(i => i.ObjectRef).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Issues, i => Assert.Contains("parent cycle", i.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_WhenQueueDescendsFromACycle_DropsItWithAnIssue()
    {
        var cluster = new Cluster().WithoutDefaultQueue().With(A.Queue("x").Parent("y"), A.Queue("y").Parent("x"), A.Queue("z").Parent("x"));

        var snapshot = cluster.Snapshot();

        Assert.Empty(snapshot.Queues);
        Assert.Equal(["Queue x", "Queue y", "Queue z"], snapshot.Issues.Select(i => i.ObjectRef).Order(StringComparer.Ordinal));
    }
}
