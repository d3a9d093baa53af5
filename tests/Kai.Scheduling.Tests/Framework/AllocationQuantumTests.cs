using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>Which pods one allocation attempt tries (spec §2.4): the missing minimum, else exactly one.</summary>
public sealed class AllocationQuantumTests
{
    [Fact]
    public void PodsToAllocate_WhenGangIsUnsatisfied_TakesMinMemberPodsInPodOrder()
    {
        var session = new Cluster().With(A.PodGroup("j0").MinMember(3).Members(5, gpu: 1)).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-0", "j0-1", "j0-2"], session.PodNames(pods));
        Assert.Equal(new ResourceVector(0, 0, 3000), session.Quantum.InitRequest(session.Group("j0")));
    }

    [Fact]
    public void PodsToAllocate_WhenSomeMembersRun_TakesOnlyTheMissingOnes()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").MinMember(3).Members(1, gpu: 1, with: p => p.Running("n1")).Members(4, gpu: 1))
            .Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-1", "j0-2"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_WhenGangIsSatisfied_TakesExactlyOnePod()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("j0").MinMember(2).Members(2, gpu: 1, with: p => p.Running("n1")).Members(2, gpu: 1))
            .Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-2"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_WhenSeveralSetsAreUnsatisfied_TakesTheMissingOfEachSetByName()
    {
        var group = A.PodGroup("j0").SubGroup("workers", 2).SubGroup("ps", 1)
            .Members(3, with: p => p.InSubGroup("workers"))
            .Members(2, with: p => p.InSubGroup("ps"));
        var session = new Cluster().With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-3", "j0-0", "j0-1"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_WhenOneSetIsSatisfied_TakesOnlyTheUnsatisfiedSet()
    {
        var group = A.PodGroup("j0").SubGroup("workers", 2).SubGroup("ps", 1)
            .Members(2, with: p => p.InSubGroup("workers").Running("n1"))
            .Members(1, with: p => p.InSubGroup("workers"))
            .Members(2, with: p => p.InSubGroup("ps"));
        var session = new Cluster().With(A.Node("n1")).With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-3"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_WhenAllSetsAreSatisfied_TakesOnePodFromTheLeastSatisfiedSet()
    {
        var group = A.PodGroup("j0").SubGroup("a-workers", 1).SubGroup("b-workers", 2)
            .Members(2, with: p => p.InSubGroup("a-workers").Running("n1"))
            .Members(1, with: p => p.InSubGroup("a-workers"))
            .Members(2, with: p => p.InSubGroup("b-workers").Running("n1"))
            .Members(1, with: p => p.InSubGroup("b-workers"));
        var session = new Cluster().With(A.Node("n1")).With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["j0-5"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_PutsTheKubeflowMasterFirst()
    {
        var group = A.PodGroup("j0").MinMember(3)
            .Members(2)
            .Pod("master", p => p.Role(PodRole.KubeflowLeader));
        var session = new Cluster().With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["master", "j0-0", "j0-1"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_PutsTheRayHeadFirst()
    {
        var group = A.PodGroup("j0").MinMember(3)
            .Members(2)
            .Pod("head", p => p.Role(PodRole.RayHead));
        var session = new Cluster().With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["head", "j0-0", "j0-1"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_OrdersByPodOrderPriorityLabel_HigherFirstThenInvalidThenUnlabelled()
    {
        var group = A.PodGroup("j0").MinMember(4)
            .Pod("plain", p => p)
            .Pod("invalid", p => p.InvalidOrderPriority())
            .Pod("low", p => p.OrderPriority(1))
            .Pod("high", p => p.OrderPriority(5));
        var session = new Cluster().With(group).Open();

        var pods = session.Quantum.PodsToAllocate(session.Group("j0"));

        Assert.Equal(["high", "low", "invalid", "plain"], session.PodNames(pods));
    }

    [Fact]
    public void PodsToAllocate_AfterAMemberIsPlaced_IsRecomputed()
    {
        var session = new Cluster().With(A.Node("n1").Gpus(8)).With(A.PodGroup("j0").MinMember(2).Members(3, gpu: 1)).Open();
        var group = session.Group("j0");
        var before = session.Quantum.PodsToAllocate(group);
        using var statement = session.Begin(ActionKind.Allocate);

        statement.Allocate(session.Pod("j0-0"), session.Node("n1"));
        statement.Allocate(session.Pod("j0-1"), session.Node("n1"));

        Assert.Equal(["j0-0", "j0-1"], session.PodNames(before));
        Assert.Equal(["j0-2"], session.PodNames(session.Quantum.PodsToAllocate(group)));
    }
}
