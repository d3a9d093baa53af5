using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;
using static Kai.Scheduling.Tests.Builders.Quantity;

namespace Kai.Scheduling.Plugins.Tests.Proportion;

/// <summary>
/// The proportion plugin's queue order (semantics spec §2.2), one test per rule where that rule decides and
/// the later rules would decide the other way. Allocation and fair share are set on the ledger directly so
/// each rule's inputs are exact; J is the best job's request (one pending pod of the stated GPUs).
/// </summary>
public sealed class QueueOrderTests
{
    private const int Left = -1;
    private const int Right = 1;

    [Fact]
    public void CompareQueues_Rule1_QueueOverFairShareInAllResourcesGoesAfterOneThatIsNot()
    {
        var session = Open(q1: Quota8("q1").Priority(200), q2: Quota8("q2"), j1Gpus: 1, j2Gpus: 1);
        Set(session, "q1", allocated: new(10_000, 10 * Gi, 10_000), fairShare: new(5000, 5 * Gi, 5000));
        Set(session, "q2", allocated: new(10_000, 10 * Gi, 9000), fairShare: new(20_000, 20 * Gi, 5000));

        Assert.Equal(Right, Compare(session, "q1", "q2"));
        Assert.Equal(Left, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule2_StarvedQueueGoesFirst()
    {
        var session = Open(q1: Quota8("q1"), q2: Quota8("q2").Priority(200), j1Gpus: 2, j2Gpus: 2);
        Set(session, "q1", allocated: Gpus(2), fairShare: Everything);
        Set(session, "q2", allocated: Gpus(7), fairShare: Everything);

        Assert.Equal(Left, Compare(session, "q1", "q2"));
        Assert.Equal(Right, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule3_HigherPriorityGoesFirst()
    {
        var session = Open(q1: Quota8("q1"), q2: Quota8("q2").Priority(200), j1Gpus: 1, j2Gpus: 1);
        Set(session, "q1", allocated: Gpus(9), fairShare: Everything);
        Set(session, "q2", allocated: Gpus(12), fairShare: Everything);

        Assert.Equal(Right, Compare(session, "q1", "q2"));
        Assert.Equal(Left, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule4_QueueUsingAResourceWithZeroShareGoesLast()
    {
        var session = Open(
            q1: A.Queue("q1").Gpu(quota: 0, limit: 0).Created(A.MinutesAgo(120)),
            q2: Quota8("q2"),
            j1Gpus: 1,
            j2Gpus: 1);
        Set(session, "q1", allocated: ResourceVector.Zero, fairShare: Everything);
        Set(session, "q2", allocated: Gpus(9), fairShare: Everything);

        Assert.Equal(Right, Compare(session, "q1", "q2"));
        Assert.Equal(Left, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule5_SmallerDominantShareWithTheJobGoesFirst()
    {
        var session = Open(q1: Quota8("q1"), q2: Quota8("q2").Created(A.MinutesAgo(120)), j1Gpus: 1, j2Gpus: 4);
        Set(session, "q1", allocated: Gpus(2), fairShare: Everything);
        Set(session, "q2", allocated: Gpus(1), fairShare: Everything);

        Assert.Equal(Left, Compare(session, "q1", "q2"));
        Assert.Equal(Right, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule6_OnEqualShareWithJob_SmallerShareWithoutJobGoesFirst()
    {
        var session = Open(q1: Quota8("q1").Created(A.MinutesAgo(120)), q2: Quota8("q2"), j1Gpus: 2, j2Gpus: 4);
        Set(session, "q1", allocated: Gpus(2), fairShare: Everything);
        Set(session, "q2", allocated: ResourceVector.Zero, fairShare: Everything);

        Assert.Equal(Right, Compare(session, "q1", "q2"));
        Assert.Equal(Left, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule7_SmallerAllocatableShareGoesFirst()
    {
        var session = Open(q1: A.Queue("q1").Gpu(quota: 4), q2: Quota8("q2").Created(A.MinutesAgo(120)), j1Gpus: null, j2Gpus: null);
        Set(session, "q1", allocated: ResourceVector.Zero, fairShare: Gpus(4));
        Set(session, "q2", allocated: ResourceVector.Zero, fairShare: Gpus(8));

        Assert.Equal(Left, Compare(session, "q1", "q2"));
        Assert.Equal(Right, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_Rule8_OlderQueueGoesFirst()
    {
        var session = Open(q1: Quota8("q1"), q2: Quota8("q2").Created(A.MinutesAgo(120)), j1Gpus: 1, j2Gpus: 1);
        Set(session, "q1", allocated: Gpus(1), fairShare: Everything);
        Set(session, "q2", allocated: Gpus(1), fairShare: Everything);

        Assert.Equal(Right, Compare(session, "q1", "q2"));
        Assert.Equal(Left, Compare(session, "q2", "q1"));
    }

    [Fact]
    public void CompareQueues_WhenEverythingIsEqual_OrdersByName()
    {
        var session = Open(q1: Quota8("q1"), q2: Quota8("q2"), j1Gpus: 1, j2Gpus: 1);

        Assert.Equal(Left, Compare(session, "q1", "q2"));
        Assert.Equal(Right, Compare(session, "q2", "q1"));
    }

    private static readonly ResourceVector Everything = new(64_000, 512 * Gi, 16_000);

    private static ResourceVector Gpus(int gpus) => new(0, 0, gpus * 1000L);

    /// <summary>One 16-GPU node; queues q1 and q2, each with job j1 / j2 of one pending pod of the given GPUs.</summary>
    private static Session Open(QueueBuilder q1, QueueBuilder q2, int? j1Gpus, int? j2Gpus)
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(16).Cpu("64").Memory("512Gi"))
            .With(q1, q2);
        if (j1Gpus is { } g1)
        {
            cluster.With(A.PodGroup("j1").InQueue("q1").Members(1, gpu: g1));
        }

        if (j2Gpus is { } g2)
        {
            cluster.With(A.PodGroup("j2").InQueue("q2").Members(1, gpu: g2));
        }

        return cluster.Open();
    }

    private static QueueBuilder Quota8(string name) => A.Queue(name).Gpu(quota: 8);

    private static void Set(Session session, string queue, ResourceVector allocated, ResourceVector fairShare)
    {
        session.Queues.SetAllocated(session.Queue(queue), allocated);
        session.Queues.SetFairShare(session.Queue(queue), fairShare);
    }

    private static int Compare(Session session, string left, string right) =>
        Math.Sign(session.Plugins.CompareQueues(session, Candidate(session, left), Candidate(session, right)));

    private static QueueCandidate Candidate(Session session, string queue)
    {
        var job = session.Snapshot.FindGroup(A.Namespace, queue == "q1" ? "j1" : "j2");
        return new QueueCandidate(session.Queue(queue), job);
    }
}
