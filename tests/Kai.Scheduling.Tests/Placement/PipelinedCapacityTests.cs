using Kai.Scheduling.Configuration;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;
using static Kai.Scheduling.Tests.Builders.Quantity;

namespace Kai.Scheduling.Tests.Placement;

/// <summary>
/// Capacity reserved by pipelined pods must not be handed out again. A pipelined pod consumes the node's
/// Releasing book, which can go negative in a resource the pod took from idle; then Idle overstates what is
/// free, and only Idle + Releasing tells whether a new pod fits (KAI checks fit on idle+releasing first, §1.6).
/// </summary>
public sealed class PipelinedCapacityTests
{
    [Fact]
    public void Pipeline_WhenPodTakesMoreMemoryThanIsReleasing_ReleasingGoesNegativeAndFreeIsExact()
    {
        var session = Scenario().Open();
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Pipeline(session.Pod("gang-0"), session.Node("n1"));

        var n1 = session.NodeState("n1");
        Assert.Equal(new ResourceVector(32_000, 8 * Gi, 1000, 110), n1.Idle);
        Assert.Equal(new ResourceVector(0, -8 * Gi, -1000, -1), n1.Releasing);
        Assert.Equal(new ResourceVector(32_000, 0, 0, 109), n1.Free);
    }

    [Fact]
    public void Find_WhenIdleFitsButPipelinedPodsReservedIt_AgreesWithTheFullScan()
    {
        var session = Scenario().Open();
        using var statement = session.Begin(ActionKind.Allocate);
        statement.Allocate(session.Pod("gang-0"), session.Node("n1"));
        statement.Pipeline(session.Pod("gang-1"), session.Node("n2"));
        statement.ConvertAllocationsToPipelines();

        var indexed = NodeSearch.Find(session, session.Pod("late-0"));
        var scanned = NodeSearch.Find(session, session.Pod("late-0"), forceFullScan: true);

        Assert.Equal(NodeSearch.Placement.None, scanned);
        Assert.Equal(scanned, indexed);
    }

    [Fact]
    public void RunCycle_WhenAGangWasPipelined_LaterPodsDoNotTakeItsReservedCapacity()
    {
        var cluster = Scenario();

        var result = cluster.Run();

        Assert.Equal(["gang-0@n1", "gang-1@n2"], result.Pipelines());
        Assert.Empty(result.Binds());
    }

    /// <summary>
    /// n1: 1 GPU, 8Gi. n2: 1 GPU (held by a terminating pod), 2Gi. Gang "gang" (priority 75): gang-0 wants
    /// 1 GPU and 8Gi, gang-1 wants 1 GPU, so gang-1 can only be pipelined on n2 and the gang waits whole.
    /// "late" wants 4Gi of memory, which no node has once gang-0 holds n1's memory.
    /// </summary>
    private static Cluster Scenario() => new Cluster()
        .With(A.Node("n1").Gpus(1).Memory("8Gi"), A.Node("n2").Gpus(1).Memory("2Gi"))
        .With(A.PodGroup("leaving").Members(1, gpu: 1, with: p => p.Releasing("n2")))
        .With(A.PodGroup("gang").Priority(75).MinMember(2).Pod("gang-0", p => p.Gpu(1).Memory("8Gi")).Pod("gang-1", p => p.Gpu(1)))
        .With(A.PodGroup("late").Members(1, cpu: "1", memory: "4Gi"));
}
