using Kai.Scheduling.Ordering;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Ordering;

/// <summary>The jobs-by-queues iterator: descend to the best leaf, take its best job.</summary>
public sealed class JobQueueTests
{
    [Fact]
    public void TryPop_WhenNothingChangesBetweenPops_DrainsTheBetterQueueFirstInJobOrder()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("a").Created(A.MinutesAgo(120)), A.Queue("b"))
            .With(A.PodGroup("a-low").InQueue("a").Members(1, gpu: 1), A.PodGroup("a-high").InQueue("a").Priority(75).Members(1, gpu: 1))
            .With(A.PodGroup("b-0").InQueue("b").Members(1, gpu: 1))
            .Open();
        var jobs = new JobQueue(session, Enumerable.Range(0, session.Snapshot.Groups.Count));

        var order = new List<string>();
        while (jobs.TryPop(out var group))
        {
            order.Add(session.Snapshot.Groups[group].Name);
        }

        Assert.Equal(["a-high", "a-low", "b-0"], order);
        Assert.True(jobs.IsEmpty);
    }

    [Fact]
    public void TryPop_DescendsThroughParentQueuesToTheBestLeaf()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.Queue("dept-a").Gpu(quota: 0), A.Queue("team-a").Parent("dept-a"))
            .With(A.Queue("dept-b").Gpu(quota: 8), A.Queue("team-b").Parent("dept-b"))
            .With(A.PodGroup("a-job").InQueue("team-a").Members(1, gpu: 1))
            .With(A.PodGroup("b-job").InQueue("team-b").Members(1, gpu: 1))
            .Open();
        var jobs = new JobQueue(session, Enumerable.Range(0, session.Snapshot.Groups.Count));

        jobs.TryPop(out var first);

        Assert.Equal("b-job", session.Snapshot.Groups[first].Name);
    }

    [Fact]
    public void RunCycle_WhenTwoEqualQueuesCompete_AlternatesByLiveDominantShare()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4))
            .With(A.Queue("a").Gpu(quota: 2).Created(A.MinutesAgo(120)), A.Queue("b").Gpu(quota: 2))
            .With(A.PodGroup("a0").InQueue("a").Members(1, gpu: 1), A.PodGroup("a1").InQueue("a").Members(1, gpu: 1))
            .With(A.PodGroup("b0").InQueue("b").Members(1, gpu: 1), A.PodGroup("b1").InQueue("b").Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["a0-0@n1", "b0-0@n1", "a1-0@n1", "b1-0@n1"], result.Binds());
    }
}
