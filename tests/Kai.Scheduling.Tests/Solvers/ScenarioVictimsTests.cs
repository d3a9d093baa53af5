using Kai.Scheduling.Solvers;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Solvers;

/// <summary>The taken units' books by node, emptied by a new generation instead of new lists (the action keeps one for its searches).</summary>
public sealed class ScenarioVictimsTests
{
    [Fact]
    public void GroupsOn_AfterReset_KnowsOnlyTheGroupsTakenSince()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(8))
            .With(A.PodGroup("first").InQueue("q").Created(A.MinutesAgo(60)).Members(2, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("second").InQueue("q").Created(A.MinutesAgo(50)).Members(1, gpu: 1, with: p => p.Running("n1")))
            .With(A.PodGroup("third").InQueue("q").Created(A.MinutesAgo(40)).Members(1, gpu: 1, with: p => p.Running("n2")))
            .Open();
        var (first, second, third) = (Group(session, "first"), Group(session, "second"), Group(session, "third"));
        var (n1, n2) = (session.NodeOf(session.Snapshot.MembersOf(first)[0]), session.NodeOf(session.Snapshot.MembersOf(third)[0]));
        var scenario = new ScenarioVictims(session);

        scenario.Add(first, [.. session.Snapshot.MembersOf(first)]);
        scenario.Add(third, [.. session.Snapshot.MembersOf(third)]);
        Assert.Equal([first], scenario.GroupsOn(n1)!);
        Assert.Equal([third], scenario.GroupsOn(n2)!);

        // The next step takes only the second group: the first step's groups are gone from both nodes.
        scenario.Reset();
        Assert.Null(scenario.GroupsOn(n1));
        Assert.Null(scenario.GroupsOn(n2));
        scenario.Add(second, [.. session.Snapshot.MembersOf(second)]);
        Assert.Equal([second], scenario.GroupsOn(n1)!);
        Assert.Null(scenario.GroupsOn(n2));
        Assert.Equal([.. session.Snapshot.MembersOf(second)], scenario.OfGroupsOn(n1));
        Assert.True(scenario.SameGroupsOn(n2, n2));
        Assert.False(scenario.SameGroupsOn(n1, n2));
    }

    [Fact]
    public void GroupsOn_NoNode_KnowsTheGroupsOfTakenPodsOnNoNode()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("grower").InQueue("q").MinMember(1).Created(A.MinutesAgo(60))
                .Members(1, gpu: 1, with: p => p.Running("n1"))
                .Members(1, gpu: 1))
            .Open();
        var grower = Group(session, "grower");
        var unplaced = Array.Find(session.Snapshot.MembersOf(grower), p => session.NodeOf(p) < 0);
        var scenario = new ScenarioVictims(session);

        scenario.Add(grower, [unplaced]);

        Assert.Equal([grower], scenario.GroupsOn(-1)!);
        Assert.Null(scenario.GroupsOn(0));
    }

    private static int Group(Kai.Scheduling.Framework.Session session, string name) => session.Snapshot.FindGroup(A.GroupKey(name));
}
