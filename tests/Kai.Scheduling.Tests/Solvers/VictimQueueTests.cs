using Kai.Scheduling.Framework;
using Kai.Scheduling.Solvers;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Solvers;

/// <summary>The victim order of one search: lowest-priority, newest groups first, a pod at a time above the minimum.</summary>
public sealed class VictimQueueTests
{
    [Fact]
    public void TryNext_WithGroupsOfDifferentPriorities_YieldsTheLowestPriorityThenTheNewest()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(
                Running("old-train", priority: 50, minutesAgo: 90),
                Running("new-train", priority: 50, minutesAgo: 30),
                Running("build", priority: 75, minutesAgo: 10))
            .With(Pending("preemptor"))
            .Open();

        var order = Drain(session, "preemptor");

        Assert.Equal(["new-train", "old-train", "build"], order.Select(u => u.Group));
    }

    [Fact]
    public void TryNext_WhenAGroupRunsAboveItsMinimum_YieldsOnePodAtATimeDownToTheMinimumThenTheRestTogether()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("elastic").InQueue("q").MinMember(2).Created(A.MinutesAgo(60)).Members(4, gpu: 1, with: p => p.Running("n1")))
            .With(Pending("preemptor"))
            .Open();

        var order = Drain(session, "preemptor");

        Assert.Equal([1, 1, 2], order.Select(u => u.Pods));
        Assert.All(order, u => Assert.Equal("elastic", u.Group));
    }

    [Fact]
    public void TryNext_WhenTheFilterRefusesAGroup_SkipsItAndCountsWhy()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(Running("kept", priority: 50, minutesAgo: 30), Running("taken", priority: 50, minutesAgo: 60))
            .With(Pending("preemptor"))
            .Open();
        var kept = Group(session, "kept");
        var eligibility = new VictimEligibility(Group(session, "preemptor"), g => g == kept ? PluginStatus.Unresolvable("protected") : PluginStatus.Success);

        var order = Drain(session, eligibility);

        Assert.Equal(["taken"], order.Select(u => u.Group));
        Assert.Equal(1, eligibility.Rejections["protected"]);
        Assert.Equal(1, eligibility.EligibleSeen);
    }

    [Fact]
    public void TryNext_NeverYieldsThePreemptorsOwnRunningPods()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("grower").InQueue("q").MinMember(1).Created(A.MinutesAgo(60))
                .Members(1, gpu: 1, with: p => p.Running("n1"))
                .Members(1, gpu: 1))
            .Open();

        var order = Drain(session, "grower");

        Assert.Empty(order);
    }

    [Fact]
    public void WalkOn_OnTheBooksOfADroppedWalk_YieldsTheSameUnitsEachInAListOfItsOwn()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("elastic").InQueue("q").MinMember(2).Created(A.MinutesAgo(60)).Members(4, gpu: 1, with: p => p.Running("n1")))
            .With(Pending("preemptor"))
            .Open();
        var catalog = new VictimCatalog(session);
        catalog.Sync();
        var preemptor = Group(session, "preemptor");
        var first = new VictimWalkRecording(session, new VictimEligibility(preemptor, _ => PluginStatus.Success), catalog, sessionUnchangedBetweenUnits: true);
        var firstUnits = WalkWhole(first);

        // The dropped walk's three unit lists are emptied and kept; the next walk takes them for its own units.
        var books = first.Release().Emptied();
        Assert.Equal(3, books.SpareUnits.Count);
        var second = new VictimWalkRecording(session, new VictimEligibility(preemptor, _ => PluginStatus.Success), catalog, sessionUnchangedBetweenUnits: true, books);
        var secondUnits = WalkWhole(second);

        Assert.Equal([1, 1, 2], secondUnits.Select(u => u.Length));
        Assert.Equal(firstUnits, secondUnits);
        Assert.Empty(books.SpareUnits);
        Assert.Equal(3, Enumerable.Range(0, second.Count).Select(i => second[i].Unit).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    private static List<int[]> WalkWhole(VictimWalkRecording walk)
    {
        while (walk.WalkOn(walk.WalkingFor))
        {
        }

        return [.. Enumerable.Range(0, walk.Count).Select(i => walk[i].Unit.ToArray())];
    }

    private static PodGroupBuilder Running(string name, int priority, int minutesAgo) =>
        A.PodGroup(name).InQueue("q").Priority(priority).Created(A.MinutesAgo(minutesAgo)).Members(1, gpu: 1, with: p => p.Running("n1"));

    private static PodGroupBuilder Pending(string name) =>
        A.PodGroup(name).InQueue("q").Priority(100).Created(A.MinutesAgo(1)).Members(1, gpu: 1);

    private static int Group(Session session, string name) => session.Snapshot.FindGroup(A.GroupKey(name));

    private static List<(string Group, int Pods)> Drain(Session session, string preemptor) =>
        Drain(session, new VictimEligibility(Group(session, preemptor), _ => PluginStatus.Success));

    private static List<(string Group, int Pods)> Drain(Session session, VictimEligibility eligibility)
    {
        var catalog = new VictimCatalog(session);
        catalog.Sync();
        var queue = new VictimQueue(session, eligibility, catalog);
        var units = new List<(string Group, int Pods)>();
        while (queue.TryNext(out var group, out var unit))
        {
            units.Add((session.Snapshot.Groups[group].Name, unit.Count));
        }

        return units;
    }
}
