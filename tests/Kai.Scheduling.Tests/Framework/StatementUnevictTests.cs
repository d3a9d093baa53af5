using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>A pod evicted and pipelined back onto its own node is un-evicted (KAI statement.Pipeline).</summary>
public sealed class StatementUnevictTests
{
    [Fact]
    public void Pipeline_WhenPodWasEvictedFromThatNode_RestoresItAsRunningWithoutDecision()
    {
        var session = StatementFixture.Open();
        var initial = SessionBooks.Of(session);
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Evict(session.Pod("old-0"));

        statement.Pipeline(session.Pod("old-0"), session.Node("n1"));
        var decisions = statement.Commit();

        Assert.Equal(PodStatus.Running, session.StatusOf(session.Pod("old-0")));
        Assert.False(session.IsVirtual(session.Pod("old-0")));
        Assert.Equal(initial, SessionBooks.Of(session));
        Assert.Empty(decisions);
    }

    [Fact]
    public void Pipeline_WhenEvictedPodMovesToAnotherNode_IsPipelinedThere()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Evict(session.Pod("old-0"));

        statement.Pipeline(session.Pod("old-0"), session.Node("n2"));

        Assert.Equal(PodStatus.Pipelined, session.StatusOf(session.Pod("old-0")));
        Assert.Empty(session.NodeState("n1").Pods);
        Assert.Contains(session.Pod("old-0"), session.NodeState("n2").Pods);
    }

    [Fact]
    public void Commit_WhenEvictedPodMovesToAnotherNode_EvictsItFromTheOldNode()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Evict(session.Pod("old-0"));
        statement.Pipeline(session.Pod("old-0"), session.Node("n2"));

        var decisions = statement.Commit();

        Assert.Equal(["old-0@n1"], decisions.Placements(DecisionKind.Evict));
        Assert.Equal(["old-0@n2"], decisions.Placements(DecisionKind.Pipeline));
    }
}
