using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>Checkpoint, rollback, discard and commit of a statement.</summary>
public sealed class StatementTransactionTests
{
    [Fact]
    public void RollbackAndDiscard_SetTheGpuGroupSerialBack_SoUndoneTriesDoNotChangeLaterGroupIds()
    {
        var session = StatementFixture.Open();
        var kept = session.Begin(ActionKind.Allocate);
        session.NextGpuGroupSerial();
        kept.Commit();
        var tried = session.Begin(ActionKind.Reclaim);
        var checkpoint = tried.Checkpoint();
        session.NextGpuGroupSerial();
        tried.Rollback(checkpoint);
        var afterRollback = session.GpuGroupSerial;
        session.NextGpuGroupSerial();
        tried.Discard();

        Assert.Equal(1, afterRollback);
        Assert.Equal(1, session.GpuGroupSerial);
        Assert.Equal(2, session.NextGpuGroupSerial());
    }

    [Fact]
    public void Rollback_RestoresEveryBookToTheCheckpoint()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        var atCheckpoint = SessionBooks.Of(session);
        var checkpoint = statement.Checkpoint();
        statement.Pipeline(session.Pod("train-1"), session.Node("n2"));
        statement.Evict(session.Pod("old-0"));

        statement.Rollback(checkpoint);

        Assert.Equal(atCheckpoint, SessionBooks.Of(session));
        Assert.Equal(1, statement.OperationCount);
    }

    [Fact]
    public void Rollback_WhenAPodWasMovedTwice_RestoresItsOriginalPlace()
    {
        var session = StatementFixture.Open();
        var initial = SessionBooks.Of(session);
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Evict(session.Pod("old-0"));
        statement.Pipeline(session.Pod("old-0"), session.Node("n2"));
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));

        statement.Rollback(statement.Start);

        Assert.Equal(initial, SessionBooks.Of(session));
    }

    [Fact]
    public void Dispose_WithoutCommit_DiscardsEverything()
    {
        var session = StatementFixture.Open();
        var initial = SessionBooks.Of(session);

        using (var statement = session.Begin(ActionKind.Allocate))
        {
            statement.Allocate(session.Pod("train-0"), session.Node("n1"));
            statement.Pipeline(session.Pod("train-1"), session.Node("n2"));
            statement.Evict(session.Pod("old-0"));
        }

        Assert.Equal(initial, SessionBooks.Of(session));
        Assert.Empty(session.Decisions);
    }

    [Fact]
    public void Commit_ProducesOneDecisionPerChangedPodInOperationOrder()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        statement.Pipeline(session.Pod("train-1"), session.Node("n2"));
        statement.Evict(session.Pod("old-0"));

        var decisions = statement.Commit(preemptor: A.GroupKey("train"));

        Assert.Equal(
            [
                new SchedulingDecision(ActionKind.Allocate, DecisionKind.Bind, new PodKey("ns", "train-0"), "uid-ns-train-0", new NodeName("n1"), A.GroupKey("train"), GpuGrant.Whole(2000)),
                new SchedulingDecision(ActionKind.Allocate, DecisionKind.Pipeline, new PodKey("ns", "train-1"), "uid-ns-train-1", new NodeName("n2"), A.GroupKey("train"), GpuGrant.Whole(2000)),
                new SchedulingDecision(ActionKind.Allocate, DecisionKind.Evict, new PodKey("ns", "old-0"), "uid-ns-old-0", new NodeName("n1"), A.GroupKey("old"), GpuGrant.None, Preemptor: A.GroupKey("train")),
            ],
            decisions);
        Assert.Equal(decisions, session.Decisions);
    }

    [Fact]
    public void Commit_WhenAnOperationWasRolledBack_LeavesItOut()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        var checkpoint = statement.Checkpoint();
        statement.Allocate(session.Pod("train-1"), session.Node("n1"));
        statement.Rollback(checkpoint);

        var decisions = statement.Commit();

        Assert.Equal(["train-0@n1"], decisions.Placements(DecisionKind.Bind));
        Assert.Single(decisions);
        Assert.Equal(PodStatus.Pending, session.StatusOf(session.Pod("train-1")));
    }

    [Fact]
    public void Commit_AfterDiscard_Throws()
    {
        var session = StatementFixture.Open();
        var statement = session.Begin(ActionKind.Allocate);
        statement.Discard();

        Assert.Throws<ObjectDisposedException>(() => statement.Commit());
    }

    [Fact]
    public void Commit_KeepsTheChangesInTheSession()
    {
        var session = StatementFixture.Open();
        var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        var afterAllocate = SessionBooks.Of(session);

        statement.Commit();
        statement.Dispose();

        Assert.Equal(afterAllocate, SessionBooks.Of(session));
    }
}
