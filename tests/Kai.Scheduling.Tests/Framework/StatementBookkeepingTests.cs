using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;
using static Kai.Scheduling.Tests.Builders.Quantity;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>How allocate, pipeline and evict change node books (idle, releasing, used), gangs and queues.</summary>
public sealed class StatementBookkeepingTests
{
    [Fact]
    public void Open_WhenPodsRunAndTerminate_BooksStartFromThem()
    {
        var session = StatementFixture.Open();

        var n1 = session.NodeState("n1");
        var n2 = session.NodeState("n2");
        Assert.Equal(new ResourceVector(24_000, 240 * Gi, 4000, 109), n1.Idle);
        Assert.Equal(ResourceVector.Zero, n1.Releasing);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000, 1), n1.Used);
        Assert.Equal(new ResourceVector(24_000, 240 * Gi, 4000, 109), n2.Idle);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000, 1), n2.Releasing);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000, 1), n2.Used);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000), session.Queues.Allocated[session.Queue("q")]);
    }

    [Fact]
    public void Allocate_TakesTheRequestFromIdle()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Allocate(session.Pod("train-0"), session.Node("n1"));

        var n1 = session.NodeState("n1");
        Assert.Equal(new ResourceVector(20_000, 232 * Gi, 2000, 108), n1.Idle);
        Assert.Equal(ResourceVector.Zero, n1.Releasing);
        Assert.Equal(new ResourceVector(12_000, 24 * Gi, 6000, 2), n1.Used);
        Assert.Equal(PodStatus.Allocated, session.StatusOf(session.Pod("train-0")));
        Assert.Equal(session.Node("n1"), session.NodeOf(session.Pod("train-0")));
        Assert.True(session.IsVirtual(session.Pod("train-0")));
    }

    [Fact]
    public void Allocate_AddsToTheLeafQueueAndEveryAncestorAndToTheGang()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Allocate(session.Pod("train-0"), session.Node("n1"));

        var expected = new ResourceVector(12_000, 24 * Gi, 6000);
        Assert.Equal(expected, session.Queues.Allocated[session.Queue("q")]);
        Assert.Equal(expected, session.Queues.Allocated[session.Queue("dept")]);
        Assert.Equal(1, session.Gangs.ActiveAllocated(session.Group("train")));
        Assert.Equal(1, session.Gangs.Pending(session.Group("train")));
    }

    [Fact]
    public void Pipeline_TakesTheRequestFromReleasingAndLeavesIdle()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Pipeline(session.Pod("train-0"), session.Node("n2"));

        var n2 = session.NodeState("n2");
        Assert.Equal(new ResourceVector(24_000, 240 * Gi, 4000, 109), n2.Idle);
        Assert.Equal(new ResourceVector(4000, 8 * Gi, 2000, 0), n2.Releasing);
        Assert.Equal(new ResourceVector(12_000, 24 * Gi, 6000, 2), n2.Used);
        Assert.Equal(PodStatus.Pipelined, session.StatusOf(session.Pod("train-0")));
        Assert.Equal(new ResourceVector(12_000, 24 * Gi, 6000), session.Queues.Allocated[session.Queue("q")]);
    }

    [Fact]
    public void Evict_MovesTheRequestFromIdleAccountingToReleasing()
    {
        var session = StatementFixture.Open();
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Evict(session.Pod("old-0"));

        var n1 = session.NodeState("n1");
        Assert.Equal(new ResourceVector(24_000, 240 * Gi, 4000, 109), n1.Idle);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000, 1), n1.Releasing);
        Assert.Equal(new ResourceVector(8000, 16 * Gi, 4000, 1), n1.Used);
        Assert.Equal(PodStatus.Releasing, session.StatusOf(session.Pod("old-0")));
        Assert.Equal(ResourceVector.Zero, session.Queues.Allocated[session.Queue("q")]);
        Assert.Equal(ResourceVector.Zero, session.Queues.Allocated[session.Queue("dept")]);
        Assert.Equal(0, session.Gangs.ActiveAllocated(session.Group("old")));
    }

    [Fact]
    public void Evict_WhenGroupIsNonPreemptible_SubtractsFromNonPreemptibleAllocation()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("serve").Priority(125).Members(1, gpu: 2, with: p => p.Running("n1")))
            .Open();
        var before = session.Queues.AllocatedNonPreemptible[session.Queue("q")];
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Evict(session.Pod("serve-0"));

        Assert.Equal(new ResourceVector(0, 0, 2000), before);
        Assert.Equal(ResourceVector.Zero, session.Queues.AllocatedNonPreemptible[session.Queue("q")]);
    }
}
