using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Snapshots;

public sealed class SnapshotGroupLinkingTests
{
    [Fact]
    public void Build_WhenGroupNamesALeafQueue_LinksGroupAndMembers()
    {
        var cluster = new Cluster().With(A.PodGroup("j0").InQueue("q").Members(2));

        var snapshot = cluster.Snapshot();

        var group = snapshot.Group("j0");
        Assert.Equal(snapshot.Queue("q"), snapshot.QueueOf(group));
        Assert.Equal([snapshot.Pod("j0-0"), snapshot.Pod("j0-1")], snapshot.MembersOf(group));
        Assert.Equal(group, snapshot.GroupOf(snapshot.Pod("j0-1")));
    }

    [Fact]
    public void Build_WhenGroupNamesANonLeafQueue_LeavesItWithoutQueueAndReportsTheLeaves()
    {
        var cluster = new Cluster()
            .With(A.Queue("dept"), A.Queue("team").Parent("dept"))
            .With(A.PodGroup("j0").InQueue("dept").Members(1));

        var snapshot = cluster.Snapshot();

        Assert.Equal(-1, snapshot.QueueOf(snapshot.Group("j0")));
        var issue = Assert.Single(snapshot.Issues);
        Assert.Equal("PodGroup ns/j0", issue.ObjectRef);
        Assert.Contains("queue 'dept' has child queues", issue.Message, StringComparison.Ordinal);
        Assert.Contains("team", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenGroupNamesAMissingQueue_LeavesItWithoutQueue()
    {
        var cluster = new Cluster().With(A.PodGroup("j0").InQueue("nowhere").Members(1));

        var snapshot = cluster.Snapshot();

        Assert.Equal(-1, snapshot.QueueOf(snapshot.Group("j0")));
    }

    [Fact]
    public void Build_WhenPendingPodNamesAnUnknownGroup_PodHasNoGroupAndAnIssue()
    {
        var cluster = new Cluster().With(A.Pod("lost").InGroup("nope"));

        var snapshot = cluster.Snapshot();

        Assert.Equal(-1, snapshot.GroupOf(snapshot.Pod("lost")));
        var issue = Assert.Single(snapshot.Issues);
        Assert.Equal("Pod ns/lost", issue.ObjectRef);
        Assert.Contains("'nope'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenPodNamesAGroupOfAnotherNamespace_DoesNotJoinIt()
    {
        var cluster = new Cluster()
            .With(A.PodGroup("j0").InNamespace("team-a").Members(1))
            .With(A.Pod("intruder").InNamespace("team-b").InGroup("j0"));

        var snapshot = cluster.Snapshot();

        Assert.Equal(-1, snapshot.GroupOf(snapshot.Pod("intruder")));
        Assert.Single(snapshot.MembersOf(snapshot.FindGroup("team-a", "j0")));
    }
}
