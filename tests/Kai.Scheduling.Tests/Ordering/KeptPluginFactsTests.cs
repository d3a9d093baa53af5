using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Ordering;

/// <summary>
/// Edges of the proportion plugin's kept facts that random worlds seldom reach: more requests per queue and version than
/// are kept, and a plugin asked about a second session whose ledger versions equal the first's (versions start from each
/// session's pod counts, so only the snapshot tells the sessions apart).
/// </summary>
public sealed class KeptPluginFactsTests
{
    private static Session TwoQueues(int q1RunningGpus, int q2RunningGpus) => new Cluster()
        .With(A.Node("n1").Gpus(16).Cpu("64").Memory("512Gi"))
        .With(A.Queue("q1").Gpu(quota: 8), A.Queue("q2").Gpu(quota: 8))
        .With(A.PodGroup("r1").InQueue("q1").Members(1, gpu: q1RunningGpus, with: p => p.Running("n1")))
        .With(A.PodGroup("r2").InQueue("q2").Members(1, gpu: q2RunningGpus, with: p => p.Running("n1")))
        .With(A.PodGroup("j1").InQueue("q1").Members(1, gpu: 1))
        .With(A.PodGroup("j2").InQueue("q2").Members(1, gpu: 1))
        .Open();

    private static ProportionPlugin NewPlugin() => new(new ProportionOptions(), allowConsolidatingReclaim: false);

    private static int CompareQ1WithQ2(ProportionPlugin plugin, Session session) => Math.Sign(plugin.CompareQueues(
        session,
        new QueueCandidate(session.Queue("q1"), session.Group("j1")),
        new QueueCandidate(session.Queue("q2"), session.Group("j2"))));

    [Fact]
    public void CompareQueues_WhenAskedAboutASecondSessionWithEqualVersions_AnswersFromTheSecond()
    {
        var first = TwoQueues(q1RunningGpus: 1, q2RunningGpus: 2);
        var second = TwoQueues(q1RunningGpus: 4, q2RunningGpus: 2);
        Assert.Equal(first.Queues.Versions.ToArray(), second.Queues.Versions.ToArray());
        var reused = NewPlugin();

        var firstAnswer = CompareQ1WithQ2(reused, first);
        var secondFresh = CompareQ1WithQ2(NewPlugin(), second);

        Assert.NotEqual(firstAnswer, secondFresh);
        Assert.Equal(secondFresh, CompareQ1WithQ2(reused, second));
    }

    [Fact]
    public void RejectVictim_WhenAskedAboutASecondSessionWithEqualVersions_AnswersFromTheSecond()
    {
        var first = TwoQueues(q1RunningGpus: 1, q2RunningGpus: 2);
        var second = TwoQueues(q1RunningGpus: 1, q2RunningGpus: 14);
        Assert.Equal(first.Queues.Versions.ToArray(), second.Queues.Versions.ToArray());
        var reused = new NothingTakenVerdicts();

        var firstAnswer = reused.RejectVictim(first, first.Group("j1"), first.Group("r2"));
        var secondFresh = new NothingTakenVerdicts().RejectVictim(second, second.Group("j1"), second.Group("r2"));

        Assert.NotEqual(firstAnswer, secondFresh);
        Assert.Equal(secondFresh, reused.RejectVictim(second, second.Group("j1"), second.Group("r2")));
    }

    [Fact]
    public void CompareQueues_WithMoreRequestsThanAreKept_AnswersAsFactsWorkedOutEachTime()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(16).Cpu("64").Memory("512Gi"))
            .With(A.Queue("q1").Gpu(quota: 8), A.Queue("q2").Gpu(quota: 8))
            .With(A.PodGroup("r2").InQueue("q2").Members(1, gpu: 5, with: p => p.Running("n1")));
        var jobs = QueueOrderFacts.RequestsKept + 8;
        for (var i = 1; i <= jobs; i++)
        {
            cluster.With(A.PodGroup($"j{i}").InQueue("q1").Members(1, cpu: $"{i}"));
        }

        var session = cluster.With(A.PodGroup("k").InQueue("q2").Members(1, gpu: 1)).Open();
        var kept = NewPlugin();
        var fresh = new ProportionPlugin(new ProportionOptions(), allowConsolidatingReclaim: false) { KeepsQueueFacts = false };
        var right = new QueueCandidate(session.Queue("q2"), session.Group("k"));

        // Three rounds over more requests than kept: the later rounds read replaced slots.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 1; i <= jobs; i++)
            {
                var left = new QueueCandidate(session.Queue("q1"), session.Group($"j{i}"));
                Assert.Equal(fresh.CompareQueues(session, left, right), kept.CompareQueues(session, left, right));
            }
        }
    }
}
