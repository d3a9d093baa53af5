using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Solvers;

/// <summary>The victim search on its own: what it evicts, when it gives up, and that a failed search changes nothing.</summary>
public sealed class EvictionSolverTests
{
    [Fact]
    public void Solve_WhenOneVictimMakesRoom_ReturnsAnOpenStatementEvictingOnlyTheFirstInVictimOrder()
    {
        var session = FullNode(gpusWanted: 2);
        var catalog = Catalog(session);

        var solution = Solver(session, catalog).Solve(Group(session, "preemptor"), Everyone(session), int.MaxValue, requireAllReplaced: false);

        Assert.NotNull(solution.Statement);
        Assert.Null(solution.Failure);
        Assert.True(solution.Tries >= 1);
        Assert.Equal(["newer"], Evicted(session));
        Assert.Equal(PodStatus.Pipelined, session.StatusOf(session.Snapshot.MembersOf(Group(session, "preemptor"))[0]));
        solution.Statement.Discard();
    }

    [Fact]
    public void Solve_WhenEveryVictimTogetherCannotMakeRoom_FailsAndLeavesTheSessionAsItWas()
    {
        var session = FullNode(gpusWanted: 8);
        var before = SessionBooks.Of(session);

        var solution = Solver(session, Catalog(session)).Solve(Group(session, "preemptor"), Everyone(session), int.MaxValue, requireAllReplaced: false);

        Assert.Null(solution.Statement);
        Assert.Equal("evicting every eligible victim would still not free enough resources", solution.Failure);
        Assert.Equal(before, SessionBooks.Of(session));
    }

    [Fact]
    public void Solve_WhenRoomNeedsTwoVictimGroupsButOneIsAllowed_Fails()
    {
        var session = FullNode(gpusWanted: 4);
        var before = SessionBooks.Of(session);

        var limited = Solver(session, Catalog(session)).Solve(Group(session, "preemptor"), Everyone(session), maxVictimJobs: 1, requireAllReplaced: false);

        Assert.Null(limited.Statement);
        Assert.Equal(before, SessionBooks.Of(session));

        var unlimited = Solver(session, Catalog(session)).Solve(Group(session, "preemptor"), Everyone(session), int.MaxValue, requireAllReplaced: false);

        Assert.NotNull(unlimited.Statement);
        Assert.Equal(["newer", "older"], Evicted(session));
        unlimited.Statement.Discard();
    }

    [Fact]
    public void Solve_WhenEveryVictimMustBePlacedAgainAndCannotBe_Fails()
    {
        var session = FullNode(gpusWanted: 2);

        var solution = Solver(session, Catalog(session)).Solve(Group(session, "preemptor"), Everyone(session), int.MaxValue, requireAllReplaced: true);

        Assert.Null(solution.Statement);
        Assert.Equal("moving the running pods would not place all of them again", solution.Failure);
    }

    [Fact]
    public void Solve_ForAGroupWithNothingPending_SaysSoWithoutTrying()
    {
        var session = FullNode(gpusWanted: 2);

        var solution = Solver(session, Catalog(session)).Solve(Group(session, "older"), Everyone(session), int.MaxValue, requireAllReplaced: false);

        Assert.Equal(("no pending pods to place", 0), (solution.Failure, solution.Tries));
    }

    /// <summary>A 4-GPU node full with two 2-GPU groups (older, newer) and a pending preemptor of a higher priority.</summary>
    private static Session FullNode(int gpusWanted) => new Cluster()
        .With(A.Node("n1").Gpus(4))
        .With(
            A.PodGroup("older").InQueue("q").Created(A.MinutesAgo(90)).Members(1, gpu: 2, with: p => p.Running("n1")),
            A.PodGroup("newer").InQueue("q").Created(A.MinutesAgo(30)).Members(1, gpu: 2, with: p => p.Running("n1")),
            A.PodGroup("preemptor").InQueue("q").Priority(75).Created(A.MinutesAgo(1)).Members(1, gpu: gpusWanted))
        .Open();

    private static EvictionSolver Solver(Session session, VictimCatalog catalog) => new(session, ActionKind.Preempt, catalog, new PendingOrder(session));

    private static VictimCatalog Catalog(Session session)
    {
        var catalog = new VictimCatalog(session);
        catalog.Sync();
        return catalog;
    }

    private static VictimEligibility Everyone(Session session) => new(Group(session, "preemptor"), _ => PluginStatus.Success);

    private static int Group(Session session, string name) => session.Snapshot.FindGroup(A.GroupKey(name));

    private static string[] Evicted(Session session) =>
        [.. Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p) == PodStatus.Releasing)
            .Select(p => session.Snapshot.Groups[session.Snapshot.GroupOf(p)].Name).Order(StringComparer.Ordinal)];
}
