using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;
using static Kai.Scheduling.Tests.Builders.Quantity;

namespace Kai.Scheduling.Plugins.Tests.Proportion;

/// <summary>
/// Fair shares the proportion plugin computes at session open (spec §3.3): top-level queues divide the
/// cluster total, children divide their parent's share. Pods here request GPUs only, so CPU and memory
/// shares are 0 and every expected share is (0, 0, milli-GPU).
/// </summary>
public sealed class FairShareThroughEngineTests
{
    [Fact]
    public void OpenSession_WithTwoLevelTree_DividesTotalThenParentSharesByQuotaAndWeight()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(4))
            .With(A.Queue("dept-a").Gpu(quota: 4, weight: 1), A.Queue("dept-b").Gpu(quota: 4, weight: 3))
            .With(A.Queue("a1").Parent("dept-a").Gpu(quota: 2), A.Queue("a2").Parent("dept-a").Gpu(quota: 2), A.Queue("b1").Parent("dept-b").Gpu(quota: 4))
            .With(A.PodGroup("a1-job").InQueue("a1").Members(6, gpu: 1))
            .With(A.PodGroup("a2-job").InQueue("a2").Members(2, gpu: 1))
            .With(A.PodGroup("b1-job").InQueue("b1").Members(10, gpu: 1))
            .Open();

        Assert.Equal(Gpus(5), FairShare(session, "dept-a"));
        Assert.Equal(Gpus(7), FairShare(session, "dept-b"));
        Assert.Equal(Gpus(3), FairShare(session, "a1"));
        Assert.Equal(Gpus(2), FairShare(session, "a2"));
        Assert.Equal(Gpus(7), FairShare(session, "b1"));
    }

    [Fact]
    public void OpenSession_WhenDeservedQuotasOverSubscribeTheCluster_KeepsThemWhole()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4))
            .With(A.Queue("q1").Gpu(quota: 4), A.Queue("q2").Gpu(quota: 4))
            .With(A.PodGroup("j1").InQueue("q1").Members(4, gpu: 1), A.PodGroup("j2").InQueue("q2").Members(4, gpu: 1))
            .Open();

        Assert.Equal(Gpus(4), FairShare(session, "q1"));
        Assert.Equal(Gpus(4), FairShare(session, "q2"));
    }

    [Fact]
    public void OpenSession_WhenOverQuotaSplitsUnevenly_GivesTheLeftoverGpuToTheOlderQueue()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(3))
            .With(A.Queue("q1").Gpu(quota: 0).Created(A.MinutesAgo(120)), A.Queue("q2").Gpu(quota: 0))
            .With(A.PodGroup("j1").InQueue("q1").Members(3, gpu: 1), A.PodGroup("j2").InQueue("q2").Members(3, gpu: 1))
            .Open();

        Assert.Equal(Gpus(2), FairShare(session, "q1"));
        Assert.Equal(Gpus(1), FairShare(session, "q2"));
    }

    [Fact]
    public void OpenSession_WhenALeafRequestsMoreThanItsParentGets_ItIsCappedAndItsSiblingGetsItsRequest()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("dept").Gpu(quota: 6), A.Queue("other").Gpu(quota: 2))
            .With(A.Queue("greedy").Parent("dept").Gpu(quota: 3), A.Queue("modest").Parent("dept").Gpu(quota: 3))
            .With(A.PodGroup("big").InQueue("greedy").Members(20, gpu: 1), A.PodGroup("small").InQueue("modest").Members(1, gpu: 1))
            .With(A.PodGroup("o").InQueue("other").Members(2, gpu: 1))
            .Open();

        Assert.Equal(Gpus(6), FairShare(session, "dept"));
        Assert.Equal(Gpus(5), FairShare(session, "greedy"));
        Assert.Equal(Gpus(1), FairShare(session, "modest"));
        Assert.Equal(new ResourceVector(0, 0, 21_000), session.Queues.Requested[session.Queue("dept")]);
    }

    [Fact]
    public void OpenSession_WhenALimitCapsAQueue_TheRestGoesToItsSibling()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4))
            .With(A.Queue("q1").Gpu(quota: 0, limit: 1), A.Queue("q2").Gpu(quota: 0))
            .With(A.PodGroup("j1").InQueue("q1").Members(4, gpu: 1), A.PodGroup("j2").InQueue("q2").Members(4, gpu: 1))
            .Open();

        Assert.Equal(Gpus(1), FairShare(session, "q1"));
        Assert.Equal(Gpus(3), FairShare(session, "q2"));
    }

    [Fact]
    public void OpenSession_WhenWeightIsZero_QueueGetsNoOverQuota()
    {
        var session = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4))
            .With(A.Queue("q1").Gpu(quota: 1, weight: 0), A.Queue("q2").Gpu(quota: 1, weight: 1))
            .With(A.PodGroup("j1").InQueue("q1").Members(4, gpu: 1), A.PodGroup("j2").InQueue("q2").Members(4, gpu: 1))
            .Open();

        Assert.Equal(Gpus(1), FairShare(session, "q1"));
        Assert.Equal(Gpus(3), FairShare(session, "q2"));
    }

    [Fact]
    public void OpenSession_TotalCountsUsableNodesLessOtherSchedulersPods()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(8).NotReady(), A.Node("n3").Gpus(4).Cordoned(), A.Node("n4").Gpus(4).UnderPressure())
            .With(A.Pod("foreign").Gpu(2).Cpu("4").NotOurs().Running("n1"))
            .Open();

        Assert.Equal(new ResourceVector(28_000, 256 * Gi, 6000), session.Queues.Total);
    }

    [Fact]
    public void OpenSession_RequestedCountsRunningAndPendingButNotReleasingPods()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0")
                .Members(1, gpu: 1, with: p => p.Running("n1"))
                .Members(1, gpu: 2)
                .Members(1, gpu: 4, with: p => p.Releasing("n1")))
            .Open();

        Assert.Equal(Gpus(3), session.Queues.Requested[session.Queue("q")]);
        Assert.Equal(Gpus(1), session.Queues.Allocated[session.Queue("q")]);
    }

    private static ResourceVector Gpus(int gpus) => new(0, 0, gpus * 1000L);

    private static ResourceVector FairShare(Session session, string queue) => session.Queues.FairShare[session.Queue(queue)];
}
