using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Snapshots;

public sealed class SnapshotPodSetTests
{
    [Fact]
    public void Build_WhenGroupHasNoSubGroups_FormsOneDefaultSetWithMinMember()
    {
        var cluster = new Cluster().With(A.PodGroup("j0").MinMember(3).Members(4));

        var snapshot = cluster.Snapshot();

        var set = Assert.Single(snapshot.PodSetsOf(snapshot.Group("j0")));
        Assert.Equal(SnapshotBuilder.DefaultPodSetName, set.Name);
        Assert.Equal(3, set.MinAvailable);
        Assert.Equal(4, set.Members.Length);
    }

    [Fact]
    public void Build_WhenMinMemberIsZero_DefaultSetNeedsNone()
    {
        var cluster = new Cluster().With(A.PodGroup("j0").MinMember(0).Members(2));

        var snapshot = cluster.Snapshot();

        // minMember 0 is no gang: each pod is placed, and may be evicted, on its own.
        Assert.Equal(0, Assert.Single(snapshot.PodSetsOf(snapshot.Group("j0"))).MinAvailable);
    }

    [Fact]
    public void Build_WhenGroupHasSubGroups_FormsOneSetPerLeafSubGroupByName()
    {
        var group = A.PodGroup("j0").MinMember(10)
            .SubGroup("workers", 2).SubGroup("ps", 1)
            .Members(3, with: p => p.InSubGroup("workers"))
            .Members(1, with: p => p.InSubGroup("ps"));

        var snapshot = new Cluster().With(group).Snapshot();

        var sets = snapshot.PodSetsOf(snapshot.Group("j0"));
        Assert.Equal(["ps", "workers"], sets.Select(s => s.Name));
        Assert.Equal([1, 2], sets.Select(s => s.MinAvailable));
        Assert.Equal([snapshot.Pod("j0-3")], sets[0].Members);
        Assert.Equal([snapshot.Pod("j0-0"), snapshot.Pod("j0-1"), snapshot.Pod("j0-2")], sets[1].Members);
        Assert.Equal(1, snapshot.PodSetIndexOf(snapshot.Pod("j0-2")));
    }

    [Fact]
    public void Build_WhenSubGroupsNest_OnlyLeavesBecomeSets()
    {
        var group = A.PodGroup("j0")
            .SubGroup("decode", 1).SubGroup("leader", 1, parent: "decode").SubGroup("worker", 2, parent: "decode")
            .Members(1, with: p => p.InSubGroup("leader"))
            .Members(2, with: p => p.InSubGroup("worker"));

        var snapshot = new Cluster().With(group).Snapshot();

        Assert.Equal(["leader", "worker"], snapshot.PodSetsOf(snapshot.Group("j0")).Select(s => s.Name));
    }

    [Fact]
    public void Build_WhenSubGroupsExistAndPodHasNoLabel_PodJoinsAnOptionalDefaultSet()
    {
        var group = A.PodGroup("j0").SubGroup("workers", 1)
            .Members(1, with: p => p.InSubGroup("workers"))
            .Members(1);

        var snapshot = new Cluster().With(group).Snapshot();

        var sets = snapshot.PodSetsOf(snapshot.Group("j0"));
        Assert.Equal(["workers", SnapshotBuilder.DefaultPodSetName], sets.Select(s => s.Name));
        Assert.Equal(0, sets[1].MinAvailable);
        Assert.Equal([snapshot.Pod("j0-1")], sets[1].Members);
    }

    [Fact]
    public void Build_WhenPodNamesAnUnknownSubGroup_IgnoresThePodWithAnIssue()
    {
        var group = A.PodGroup("j0").SubGroup("workers", 1)
            .Members(1, with: p => p.InSubGroup("workers"))
            .Members(1, with: p => p.InSubGroup("typo"));

        var snapshot = new Cluster().With(group).Snapshot();

        Assert.Equal(-1, snapshot.GroupOf(snapshot.Pod("j0-1")));
        Assert.Equal([snapshot.Pod("j0-0")], Assert.Single(snapshot.PodSetsOf(snapshot.Group("j0"))).Members);
        Assert.Equal([snapshot.Pod("j0-0")], snapshot.MembersOf(snapshot.Group("j0")));
        var issue = Assert.Single(snapshot.Issues);
        Assert.Equal("Pod ns/j0-1", issue.ObjectRef);
        Assert.Contains("'typo'", issue.Message, StringComparison.Ordinal);
    }
}
