using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;
using static Kai.Scheduling.Tests.Builders.Quantity;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>A gang that cannot all bind now has its allocations turned into pipelined placements.</summary>
public sealed class StatementConvertToPipelineTests
{
    [Fact]
    public void ConvertAllocationsToPipelines_MakesEveryAllocationPipelinedAndReturnsIdle()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        statement.Allocate(session.Pod("train-1"), session.Node("n1"));

        statement.ConvertAllocationsToPipelines();

        var n1 = session.NodeState("n1");
        Assert.Equal(PodStatus.Pipelined, session.StatusOf(session.Pod("train-0")));
        Assert.Equal(PodStatus.Pipelined, session.StatusOf(session.Pod("train-1")));
        Assert.Equal(new ResourceVector(24_000, 240 * Gi, 4000, 109), n1.Idle);
        Assert.Equal(new ResourceVector(-8000, -16 * Gi, -4000, -2), n1.Releasing);
        Assert.Equal(new ResourceVector(16_000, 32 * Gi, 8000, 3), n1.Used);
        Assert.Equal(2, session.Gangs.ActiveAllocated(session.Group("train")));
    }

    [Fact]
    public void ConvertAllocationsToPipelines_ThenCommit_ProducesPipelineDecisionsOnly()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        statement.Pipeline(session.Pod("train-1"), session.Node("n2"));
        statement.ConvertAllocationsToPipelines();

        var decisions = statement.Commit();

        Assert.Equal(["train-0@n1", "train-1@n2"], decisions.Placements(DecisionKind.Pipeline));
        Assert.Equal(2, decisions.Count);
    }

    [Fact]
    public void ConvertAllocationsToPipelines_ThenRollback_RestoresPendingPods()
    {
        var session = StatementFixture.Open();
        var initial = SessionBooks.Of(session);
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("train-0"), session.Node("n1"));
        statement.ConvertAllocationsToPipelines();

        statement.Rollback(statement.Start);

        Assert.Equal(initial, SessionBooks.Of(session));
    }
}
