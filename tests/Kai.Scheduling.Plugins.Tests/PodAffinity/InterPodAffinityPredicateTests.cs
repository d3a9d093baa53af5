using Kai.Scheduling.Framework;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.PodAffinity;

/// <summary>
/// Kubernetes' InterPodAffinity filter as KAI's predicates run it: required affinity needs a matching pod in the
/// node's domain, required anti-affinity forbids one, and existing pods' anti-affinity keeps matching pods out.
/// </summary>
public sealed class InterPodAffinityPredicateTests
{
    private const string Zone = "topology.kubernetes.io/zone";
    private const string Host = "kubernetes.io/hostname";

    [Fact]
    public void Check_WhenRequiredAffinityMatchesAPodInOneZone_PassesOnlyTheNodesOfThatZone()
    {
        var session = Open(existing: p => p.Label("app", "db").Running("east-1"), pending: p => p.RequiresPodAffinity(Zone, "app=db"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "east-1"));
        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "east-2"));
        Assert.Equal(PluginStatus.Unresolvable("node(s) didn't match pod affinity rules", "predicates"), Feasibility.Check(session, "pod", "west-1"));
    }

    [Fact]
    public void Check_WhenNoPodMatchesButThePodMatchesItsOwnTerms_PassesAsTheFirstOfItsGroup()
    {
        var session = Open(existing: p => p.Label("app", "web").Running("east-1"), pending: p => p.Label("app", "db").RequiresPodAffinity(Zone, "app=db"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "west-1"));
    }

    [Fact]
    public void Check_WhenNoPodMatchesAndThePodDoesNotMatchItsOwnTerms_FailsEverywhere()
    {
        var session = Open(existing: p => p.Label("app", "web").Running("east-1"), pending: p => p.RequiresPodAffinity(Zone, "app=db"));

        Assert.False(Feasibility.Check(session, "pod", "east-1").IsSuccess);
        Assert.False(Feasibility.Check(session, "pod", "west-1").IsSuccess);
    }

    [Fact]
    public void Check_WhenTheNodeLacksTheAffinityTopologyKey_Fails()
    {
        var session = Open(existing: p => p.Label("app", "db").Running("east-1"), pending: p => p.RequiresPodAffinity(Zone, "app=db"));

        Assert.False(Feasibility.Check(session, "pod", "unlabelled").IsSuccess);
    }

    [Fact]
    public void Check_WhenRequiredAntiAffinityMatchesAPodOnTheHost_FailsThatHostOnly()
    {
        var session = Open(existing: p => p.Label("app", "db").Running("east-1"), pending: p => p.RequiresPodAntiAffinity(Host, "app=db"));

        Assert.Equal(PluginStatus.Unschedulable("node(s) didn't match pod anti-affinity rules", "predicates"), Feasibility.Check(session, "pod", "east-1"));
        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "east-2"));
        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "unlabelled"));
    }

    [Fact]
    public void Check_WhenAnExistingPodsAntiAffinitySelectsThePod_KeepsItOutOfThatPodsZone()
    {
        var session = Open(existing: p => p.Label("app", "db").RequiresPodAntiAffinity(Zone, "app=cache").Running("east-1"), pending: p => p.Label("app", "cache"));

        Assert.Equal(PluginStatus.Unschedulable("node(s) didn't satisfy existing pods anti-affinity rules", "predicates"), Feasibility.Check(session, "pod", "east-2"));
        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "west-1"));
    }

    [Fact]
    public void Check_WhenTheMatchingPodIsInAnotherNamespace_CountsItOnlyIfTheTermNamesThatNamespace()
    {
        var elsewhere = Open(existing: p => p.Label("app", "db").Running("east-1"), pending: p => p.RequiresPodAntiAffinity(Host, "app=db"), existingNamespace: "other");
        var named = Open(existing: p => p.Label("app", "db").Running("east-1"), pending: p => p.RequiresPodAntiAffinity(Host, "app=db", "other"), existingNamespace: "other");

        Assert.Equal(PluginStatus.Success, Feasibility.Check(elsewhere, "pod", "east-1"));
        Assert.False(Feasibility.Check(named, "pod", "east-1").IsSuccess);
    }

    [Fact]
    public void RunCycle_WhenAGangHasAntiAffinityToItselfPerHost_PlacesOneMemberPerNode()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8).Label(Host, "n1"), A.Node("n2").Gpus(8).Label(Host, "n2"), A.Node("n3").Gpus(8).Label(Host, "n3"))
            .With(A.PodGroup("ring").MinMember(3).Members(3, gpu: 1, with: p => p.Label("app", "ring").RequiresPodAntiAffinity(Host, "app=ring")));

        var binds = cluster.Run().Binds();

        Assert.Equal(3, binds.Select(b => b.Split('@')[1]).Distinct().Count());
    }

    [Fact]
    public void RunCycle_WhenAGangCannotSpreadAcrossEnoughHosts_PlacesNone()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8).Label(Host, "n1"), A.Node("n2").Gpus(8).Label(Host, "n2"))
            .With(A.PodGroup("ring").MinMember(3).Members(3, gpu: 1, with: p => p.Label("app", "ring").RequiresPodAntiAffinity(Host, "app=ring")));

        Assert.Empty(cluster.Run().Binds());
    }

    [Fact]
    public void OpenAndPlace_WhenNoPodHasAffinity_NeverBuildsThePodLabelIndex()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(8))
            .With(A.PodGroup("web").Members(2, gpu: 1, with: p => p.Label("app", "web").Running("n1")))
            .With(A.PodGroup("j0").Members(4, gpu: 1, with: p => p.Label("app", "train")));
        using var cycle = new SchedulingEngine(cluster.Configuration, KaiPlugins.Registry).StartCycle(cluster.Snapshot());

        foreach (var action in cluster.Configuration.Actions)
        {
            cycle.Run(action);
        }

        Assert.False(cycle.Session.HasPodLabelIndex);
        Assert.Equal(4, cycle.Session.Decisions.Count);
    }

    private static Session Open(Func<PodBuilder, PodBuilder> existing, Func<PodBuilder, PodBuilder> pending, string existingNamespace = A.Namespace) => new Cluster()
        .With(
            A.Node("east-1").Gpus(8).Label(Zone, "east").Label(Host, "east-1"),
            A.Node("east-2").Gpus(8).Label(Zone, "east").Label(Host, "east-2"),
            A.Node("west-1").Gpus(8).Label(Zone, "west").Label(Host, "west-1"),
            A.Node("unlabelled").Gpus(8))
        .With(A.PodGroup("existing").InNamespace(existingNamespace).Pod("existing-0", existing))
        .With(A.PodGroup("j0").Pod("pod", pending))
        .Open();
}
