using Kai.Scheduling.Configuration;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Actions;

/// <summary>queueDepthPerAction caps the candidate jobs per queue and action (spec §2.1).</summary>
public sealed class QueueDepthTests
{
    [Fact]
    public void RunCycle_WhenAllocateDepthIsOne_AttemptsOneJobPerQueue()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .Configure(c => c with { QueueDepthPerAction = new Dictionary<ActionKind, int> { [ActionKind.Allocate] = 1 } })
            .With(A.PodGroup("first").Created(A.MinutesAgo(60)).Members(1, gpu: 1))
            .With(A.PodGroup("second").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["first-0@n1"], result.Binds());
    }
}
