using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.PodAffinity;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.PodAffinity;

/// <summary>
/// KAI's podaffinity score: Kubernetes' raw InterPodAffinity score times 100,000 — the pod's preferred terms over
/// the pods in each domain, and existing pods' terms over the pod — which outweighs binpacking.
/// </summary>
public sealed class PodAffinityScoreTests
{
    private const string Zone = "topology.kubernetes.io/zone";

    [Fact]
    public void RunCycle_WhenThePodPrefersTheZoneOfMatchingPods_PlacesItThereOverTheFullerNode()
    {
        // Binpacking alone prefers "west" (fuller); the preference sends the pod east.
        var cluster = Zones(east: 6, west: 2)
            .With(A.PodGroup("db").Pod("db-0", p => p.Label("app", "db").Gpu(1).Running("east")))
            .With(A.PodGroup("j0").Pod("pod", p => p.Gpu(1).PrefersPodAffinity(50, Zone, "app=db")));

        Assert.Equal(["pod@east"], cluster.Run().Binds());
    }

    [Fact]
    public void RunCycle_WhenThePodPrefersToAvoidMatchingPods_PlacesItInTheOtherZone()
    {
        var cluster = Zones(east: 2, west: 6)
            .With(A.PodGroup("db").Pod("db-0", p => p.Label("app", "db").Gpu(1).Running("east")))
            .With(A.PodGroup("j0").Pod("pod", p => p.Gpu(1).PrefersPodAntiAffinity(50, Zone, "app=db")));

        Assert.Equal(["pod@west"], cluster.Run().Binds());
    }

    [Fact]
    public void RunCycle_WhenAnExistingPodPrefersPodsLikeThisOne_AttractsIt()
    {
        var cluster = Zones(east: 6, west: 2)
            .With(A.PodGroup("db").Pod("db-0", p => p.Gpu(1).PrefersPodAffinity(10, Zone, "app=cache").Running("east")))
            .With(A.PodGroup("j0").Pod("pod", p => p.Gpu(1).Label("app", "cache")));

        Assert.Equal(["pod@east"], cluster.Run().Binds());
    }

    [Fact]
    public void Score_SumsTheDomainScoresTimesAHundredThousand()
    {
        // Own preferences: +30 (affinity) -10 (anti-affinity) for db-0's zone; db-0's required affinity selects the pod: +1.
        var session = Zones(east: 8, west: 8)
            .With(A.PodGroup("db").Pod("db-0", p => p.Label("app", "db").RequiresPodAffinity(Zone, "app=cache").Running("east")))
            .With(A.PodGroup("j0").Pod("pod", p => p.Label("app", "cache").PrefersPodAffinity(30, Zone, "app=db").PrefersPodAntiAffinity(10, Zone, "app=db")))
            .Open();
        var plugin = session.Plugins.Scorers.OfType<PodAffinityPlugin>().Single();
        var context = new NodeScoringContext(session.Pod("pod"), false, 0, 0);

        Assert.True(plugin.Scores(session, context.Pod));
        Assert.Equal(21 * 100_000, plugin.Score(session, context, session.NodeState("east")));
        Assert.Equal(0, plugin.Score(session, context, session.NodeState("west")));
    }

    [Fact]
    public void Scores_WhenNoTermConcernsThePod_IsFalseSoTheIndexedSearchPlacesIt()
    {
        var session = Zones(east: 8, west: 8)
            .With(A.PodGroup("db").Pod("db-0", p => p.Label("app", "db").PrefersPodAffinity(10, Zone, "app=cache").Running("east")))
            .With(A.PodGroup("j0").Pod("pod", p => p.Label("app", "web")))
            .Open();

        Assert.False(session.Plugins.ScoresSelectively(session, session.Pod("pod")));
    }

    /// <summary>Two 8-GPU nodes, one per zone, with <paramref name="east"/> and <paramref name="west"/> GPUs used by filler pods.</summary>
    private static Cluster Zones(int east, int west) => new Cluster()
        .With(A.Node("east").Gpus(8).Label(Zone, "east"), A.Node("west").Gpus(8).Label(Zone, "west"))
        .With(
            A.PodGroup("fill-east").Pod("fill-east-0", p => p.Gpu(Math.Max(0, east - 1)).Running("east")),
            A.PodGroup("fill-west").Pod("fill-west-0", p => p.Gpu(Math.Max(0, west - 1)).Running("west")));
}
