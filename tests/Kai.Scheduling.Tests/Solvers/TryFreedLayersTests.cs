using Kai.Scheduling.Resources;
using Kai.Scheduling.Solvers;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Solvers;

/// <summary>What a try's victims free per node, read from books a search empties and fills again step after step.</summary>
public sealed class TryFreedLayersTests
{
    [Fact]
    public void TakeTry_AfterTheScenarioIsResetAndRefilled_SumsOnlyThePodsTakenSince()
    {
        var session = new Cluster()
            .With(A.Node("n1").Gpus(8))
            .With(A.PodGroup("elastic").InQueue("q").MinMember(1).Created(A.MinutesAgo(60)).Members(3, gpu: 1, with: p => p.Running("n1")))
            .Open();
        var group = session.Snapshot.FindGroup(A.GroupKey("elastic"));
        var pods = session.Snapshot.MembersOf(group);
        var node = session.NodeOf(pods[0]);
        var scenario = new ScenarioVictims(session);
        var layers = new TryFreedLayers(session, session.RequestOf);

        // A step takes two pods of the group, the next (its books emptied) only the third.
        scenario.Add(group, [pods[0], pods[1]]);
        layers.TakeTry(scenario, node);
        scenario.Reset();
        scenario.Add(group, [pods[2]]);
        layers.TakeTry(scenario, node);

        Assert.Equal(session.RequestOf(pods[2]).Gpu, layers.Try[node].Gpu);
        Assert.Equal(ResourceVector.MilliPerGpu, layers.Try[node].Gpu);
    }
}
