using Kai.Scheduling.Framework;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Predicates;

/// <summary>A host port can be bound by one pod per node, per protocol, unless both bind distinct addresses.</summary>
public sealed class HostPortsPredicateTests
{
    [Fact]
    public void Check_WhenARunningPodUsesTheSamePort_FailsNamingThePort()
    {
        var session = Open(running: p => p.HostPort(8080), pending: p => p.HostPort(8080));

        Assert.Equal(PluginStatus.Unschedulable("host port TCP/:8080 in use", "predicates"), Feasibility.Check(session, "pod", "n1"));
        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n2"));
    }

    [Fact]
    public void Check_WhenProtocolsDiffer_Passes()
    {
        var session = Open(running: p => p.HostPort(8080, "UDP"), pending: p => p.HostPort(8080));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenBothBindDistinctAddresses_Passes()
    {
        var session = Open(running: p => p.HostPort(8080, hostIp: "10.0.0.1"), pending: p => p.HostPort(8080, hostIp: "10.0.0.2"));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void Check_WhenOneBindsAllAddresses_Fails()
    {
        var session = Open(running: p => p.HostPort(8080, hostIp: "10.0.0.1"), pending: p => p.HostPort(8080, hostIp: "0.0.0.0"));

        Assert.StartsWith("host port", Feasibility.Check(session, "pod", "n1").Reason);
    }

    [Fact]
    public void Check_WhenPortsDiffer_Passes()
    {
        var session = Open(running: p => p.HostPort(8080), pending: p => p.HostPort(9090));

        Assert.Equal(PluginStatus.Success, Feasibility.Check(session, "pod", "n1"));
    }

    [Fact]
    public void RunCycle_WhenTheFullerNodeHasThePortTaken_PlacesOnTheOtherNode()
    {
        var cluster = new Cluster()
            .With(A.Node("n1").Gpus(4), A.Node("n2").Gpus(8))
            .With(A.PodGroup("web").Members(1, gpu: 1, with: p => p.HostPort(8080).Running("n1")))
            .With(A.PodGroup("j0").Members(1, gpu: 1, with: p => p.HostPort(8080)));

        var result = cluster.Run();

        Assert.Equal(["j0-0@n2"], result.Binds());
    }

    private static Session Open(Func<PodBuilder, PodBuilder> running, Func<PodBuilder, PodBuilder> pending) => new Cluster()
        .With(A.Node("n1"), A.Node("n2"))
        .With(A.PodGroup("web").Pod("web-0", p => running(p).Running("n1")))
        .With(A.PodGroup("j0").Pod("pod", pending))
        .Open();
}
