using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>How a session learns when its outcome may change with time (<see cref="CycleResult.SameUntil"/>).</summary>
public sealed class SessionTimeTests
{
    [Fact]
    public void SameUntil_WhenNothingAsksTheTime_IsForEver()
    {
        var result = new Cluster().With(A.Node("n1").Gpus(8)).With(A.PodGroup("j").Members(1, gpu: 1)).Run();

        Assert.Equal(DateTimeOffset.MaxValue, result.SameUntil);
    }

    [Fact]
    public void IsBefore_WhenTheDeadlineIsAhead_NotesTheEarliestDeadline()
    {
        var session = new Cluster().With(A.Node("n1").Gpus(8)).Open();

        Assert.True(session.IsBefore(A.Now.AddMinutes(10)));
        Assert.True(session.IsBefore(A.Now.AddMinutes(5)));
        Assert.True(session.IsBefore(A.Now.AddMinutes(20)));

        Assert.Equal(A.Now.AddMinutes(5), session.SameUntil);
    }

    [Fact]
    public void IsBefore_WhenTheDeadlineHasPassed_IsFalseAndNotesNothing()
    {
        var session = new Cluster().With(A.Node("n1").Gpus(8)).Open();

        Assert.False(session.IsBefore(A.Now));
        Assert.False(session.IsBefore(A.Now.AddMinutes(-1)));

        Assert.Equal(DateTimeOffset.MaxValue, session.SameUntil);
    }

    [Fact]
    public void Now_WhenRead_LeavesNoBound()
    {
        var session = new Cluster().With(A.Node("n1").Gpus(8)).Open();
        session.IsBefore(A.Now.AddMinutes(5));

        Assert.Equal(A.Now, session.Now);
        session.IsBefore(A.Now.AddMinutes(1));

        Assert.Null(session.SameUntil);
    }
}
