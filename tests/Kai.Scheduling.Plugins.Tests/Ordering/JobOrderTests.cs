using Kai.Scheduling.Framework;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Ordering;

/// <summary>Job order within a leaf queue (spec §2.3): priority, gang state, creation time, name.</summary>
public sealed class JobOrderTests
{
    [Fact]
    public void CompareJobs_HigherPriorityGoesFirstEvenWhenNewer()
    {
        var session = new Cluster()
            .With(A.PodGroup("low").Priority(50).Created(A.MinutesAgo(60)).Members(1))
            .With(A.PodGroup("high").Priority(75).Created(A.MinutesAgo(1)).Members(1))
            .Open();

        Assert.Equal(-1, Compare(session, "high", "low"));
        Assert.Equal(1, Compare(session, "low", "high"));
    }

    [Fact]
    public void CompareJobs_BelowMinimumGoesBeforeAtMinimumBeforeAboveMinimum()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("above").MinMember(2).Created(A.MinutesAgo(60)).Members(3, with: p => p.Running("n1")).Members(1))
            .With(A.PodGroup("at").MinMember(2).Created(A.MinutesAgo(30)).Members(2, with: p => p.Running("n1")).Members(1))
            .With(A.PodGroup("below").MinMember(2).Created(A.MinutesAgo(1)).Members(1, with: p => p.Running("n1")).Members(1))
            .Open();

        Assert.Equal(-1, Compare(session, "below", "at"));
        Assert.Equal(-1, Compare(session, "at", "above"));
        Assert.Equal(-1, Compare(session, "below", "above"));
        Assert.Equal(1, Compare(session, "above", "below"));
    }

    [Fact]
    public void CompareJobs_WhenPriorityAndGangStateTie_OlderGroupGoesFirst()
    {
        var session = new Cluster()
            .With(A.PodGroup("a-new").Created(A.MinutesAgo(1)).Members(1))
            .With(A.PodGroup("b-old").Created(A.MinutesAgo(60)).Members(1))
            .Open();

        Assert.Equal(-1, Compare(session, "b-old", "a-new"));
        Assert.Equal(1, Compare(session, "a-new", "b-old"));
    }

    [Fact]
    public void CompareJobs_WhenEverythingElseTies_OrdersByName()
    {
        var session = new Cluster()
            .With(A.PodGroup("b").Members(1))
            .With(A.PodGroup("a").Members(1))
            .Open();

        Assert.Equal(-1, Compare(session, "a", "b"));
        Assert.Equal(1, Compare(session, "b", "a"));
    }

    [Fact]
    public void CompareJobs_PriorityOutranksGangState()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("growing").Priority(75).Members(2, with: p => p.Running("n1")).Members(1))
            .With(A.PodGroup("starting").Priority(50).MinMember(2).Members(2))
            .Open();

        Assert.Equal(-1, Compare(session, "growing", "starting"));
    }

    private static int Compare(Session session, string left, string right) =>
        Math.Sign(session.Plugins.CompareJobs(session, session.Group(left), session.Group(right)));
}
