using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Plugins.Tests.Topology;

/// <summary>
/// Topology-aware placement (spec §10): required levels keep a gang inside one domain, preferred levels pack it
/// into the fewest domains, domains are bin-packed, running pods pin the required domain, and what cannot be
/// placed waits with a reason.
/// </summary>
public sealed class TopologyPlacementTests
{
    private const string Zone = "example.com/zone";
    private const string Rack = "example.com/rack";

    [Fact]
    public void RunCycle_WithARequiredRack_PlacesTheWholeGangInTheOneRackWithRoom()
    {
        // rack-a has 2 free GPUs in total, rack-b 4: the gang of 4 fits only in rack-b.
        var cluster = Racks(("a1", "rack-a", 1), ("a2", "rack-a", 1), ("b1", "rack-b", 2), ("b2", "rack-b", 2))
            .With(A.PodGroup("train").MinMember(4).Topology("cluster", required: Rack).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["train-0@b1", "train-1@b1", "train-2@b2", "train-3@b2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithoutATopologyConstraint_SpreadsTheSameGangOverRacks()
    {
        var cluster = Racks(("a1", "rack-a", 1), ("a2", "rack-a", 1), ("b1", "rack-b", 2), ("b2", "rack-b", 2))
            .With(A.PodGroup("train").MinMember(4).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["train-0@a1", "train-1@a2", "train-2@b1", "train-3@b1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenNoRequiredDomainHasRoom_LeavesTheGangPendingAndSaysWhy()
    {
        // 6 free GPUs in the cluster, but at most 3 in one rack.
        var cluster = Racks(("a1", "rack-a", 3), ("b1", "rack-b", 3))
            .With(A.PodGroup("train").MinMember(4).Topology("cluster", required: Rack).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        var explanation = Assert.Single(result.Explanations);
        Assert.Equal(
            "no example.com/rack domain of topology 'cluster' has room for the 4 pods of pod group ns/train (room for most: zone1.rack-a 3, zone1.rack-b 3)",
            explanation.Message);
    }

    [Fact]
    public void RunCycle_WithTwoRequiredDomainsThatFit_ChoosesTheFullerOne()
    {
        // Both racks can take the 2 pods; rack-a has less left (2 of 2 free GPUs against 4), so it is packed first.
        var cluster = Racks(("a1", "rack-a", 2), ("b1", "rack-b", 4))
            .With(A.PodGroup("train").MinMember(2).Topology("cluster", required: Rack).Members(2, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["train-0@a1", "train-1@a1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithAPreferredRack_PacksTheGangIntoTheFewestRacks()
    {
        // No rack holds all 4 pods. Preferred-level scores favour the rack with the most room (rack-b, 3 free),
        // then rack-a (2), then rack-c (1): 3 pods in rack-b and 1 in rack-a, not 1-2-1.
        var cluster = Racks(("a1", "rack-a", 1), ("a2", "rack-a", 1), ("b1", "rack-b", 1), ("b2", "rack-b", 1), ("b3", "rack-b", 1), ("c1", "rack-c", 1))
            .With(A.PodGroup("train").MinMember(4).Topology("cluster", preferred: Rack).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["train-0@b1", "train-1@b2", "train-2@b3", "train-3@a1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithAPreferredRackThatFits_PlacesTheGangInOneRack()
    {
        var cluster = Racks(("a1", "rack-a", 1), ("b1", "rack-b", 1), ("b2", "rack-b", 1), ("c1", "rack-c", 4))
            .With(A.PodGroup("train").MinMember(2).Topology("cluster", preferred: Rack).Members(2, gpu: 1));

        var result = cluster.Run();

        // rack-b and rack-c can each take both pods; rack-b is the fuller of the two, so it is tried first.
        Assert.Equal(["train-0@b1", "train-1@b2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithARequiredZoneAndAPreferredRack_StaysInOneZoneAndPacksItsRacks()
    {
        var cluster = new Cluster()
            .WithTopology("cluster", Zone, Rack)
            .With(
                Node("x1", "zone-x", "rack-1", 2), Node("x2", "zone-x", "rack-2", 1), Node("x3", "zone-x", "rack-3", 1),
                Node("y1", "zone-y", "rack-4", 2), Node("y2", "zone-y", "rack-5", 2), Node("y3", "zone-y", "rack-6", 2))
            .With(A.PodGroup("train").MinMember(3).Topology("cluster", required: Zone, preferred: Rack).Members(3, gpu: 1));

        var result = cluster.Run();

        // zone-x (4 free) is fuller than zone-y (6 free) and can take 3 pods: it is chosen. Inside it the rack
        // with the most room (rack-1, 2 free) scores highest, so 2 pods go there and 1 to the next rack.
        Assert.Equal(["train-0@x1", "train-1@x1", "train-2@x3"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithSubGroupsRequiringRacksInsideARequiredZone_KeepsEachSubGroupInOneRackOfOneZone()
    {
        var cluster = new Cluster()
            .WithTopology("cluster", Zone, Rack)
            .With(
                Node("x1", "zone-x", "rack-1", 2), Node("x2", "zone-x", "rack-2", 1),
                Node("y1", "zone-y", "rack-3", 2), Node("y2", "zone-y", "rack-4", 2))
            .With(A.PodGroup("serve")
                .Topology("cluster", required: Zone)
                .SubGroup("prefill", 2, topology: new TopologyConstraint("cluster", RequiredLevel: Rack))
                .SubGroup("decode", 2, topology: new TopologyConstraint("cluster", RequiredLevel: Rack))
                .Members(2, gpu: 1, with: p => p.InSubGroup("prefill"))
                .Members(2, gpu: 1, with: p => p.InSubGroup("decode")));

        var result = cluster.Run();

        // zone-x has 3 free GPUs, too few for 4 pods; in zone-y each sub-group takes a rack of its own.
        Assert.Equal(["serve-2@y1", "serve-3@y1", "serve-0@y2", "serve-1@y2"], result.Binds());
    }

    [Fact]
    public void RunCycle_WithParentSubGroups_PlacesEachParentInItsOwnRequiredDomain()
    {
        var cluster = new Cluster()
            .WithTopology("cluster", Zone, Rack)
            .With(
                Node("x1", "zone-x", "rack-1", 2), Node("x2", "zone-x", "rack-2", 2),
                Node("y1", "zone-y", "rack-3", 2), Node("y2", "zone-y", "rack-4", 2))
            .With(A.PodGroup("serve")
                .SubGroup("replica-1", 2, topology: new TopologyConstraint("cluster", RequiredLevel: Rack))
                .SubGroup("encoder-1", 1, parent: "replica-1")
                .SubGroup("decoder-1", 1, parent: "replica-1")
                .SubGroup("replica-2", 2, topology: new TopologyConstraint("cluster", RequiredLevel: Rack))
                .SubGroup("encoder-2", 1, parent: "replica-2")
                .SubGroup("decoder-2", 1, parent: "replica-2")
                .Members(1, gpu: 1, with: p => p.InSubGroup("encoder-1"))
                .Members(1, gpu: 1, with: p => p.InSubGroup("decoder-1"))
                .Members(1, gpu: 1, with: p => p.InSubGroup("encoder-2"))
                .Members(1, gpu: 1, with: p => p.InSubGroup("decoder-2")));

        var result = cluster.Run();

        var racks = result.Binds().GroupBy(b => b.Split('@')[1]).ToDictionary(g => g.Key, g => g.Select(b => b.Split('@')[0]).Order().ToArray());
        Assert.Equal(2, racks.Count);
        Assert.Contains(["serve-0", "serve-1"], racks.Values);
        Assert.Contains(["serve-2", "serve-3"], racks.Values);
    }

    [Fact]
    public void RunCycle_WhenTheGangAlreadyRunsInARack_PlacesItsNextPodInThatRack()
    {
        // An elastic gang (minimum 1) runs in rack-a; rack-b has far more room, but the required level pins it.
        var cluster = Racks(("a1", "rack-a", 2), ("b1", "rack-b", 8))
            .With(A.PodGroup("elastic").MinMember(1).Topology("cluster", required: Rack)
                .Members(1, gpu: 1, with: p => p.Running("a1"))
                .Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["elastic-1@a1"], result.Binds());
    }

    [Fact]
    public void RunCycle_WhenTheRackItRunsInIsFull_LeavesTheNextPodPendingAndSaysWhere()
    {
        var cluster = Racks(("a1", "rack-a", 1), ("b1", "rack-b", 8))
            .With(A.PodGroup("elastic").MinMember(1).Topology("cluster", required: Rack)
                .Members(1, gpu: 1, with: p => p.Running("a1"))
                .Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            "no example.com/rack domain of topology 'cluster' among those holding its running pods (zone1.rack-a) has room for the 1 pod of pod group ns/elastic (room for most: zone1.rack-a 0)",
            Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void RunCycle_WithAnUnknownTopology_LeavesTheGangPendingNamingIt()
    {
        var cluster = Racks(("a1", "rack-a", 4))
            .With(A.PodGroup("train").Topology("no-such", required: Rack).Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            "topology 'no-such' of pod group ns/train does not exist; create the Topology (kai.scheduler/v1alpha1) or name one of: cluster in topologyConstraint.topology",
            Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void RunCycle_WithALevelTheTopologyDoesNotHave_LeavesTheGangPendingListingTheLevels()
    {
        var cluster = Racks(("a1", "rack-a", 4))
            .With(A.PodGroup("train").SubGroup("workers", 1, topology: new TopologyConstraint("cluster", RequiredLevel: "example.com/row"))
                .Members(1, gpu: 1, with: p => p.InSubGroup("workers")));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        Assert.Equal(
            "topology 'cluster' has no level 'example.com/row' (required level of sub-group workers of pod group ns/train); its levels are example.com/zone, example.com/rack",
            Assert.Single(result.Explanations).Message);
    }

    [Fact]
    public void RunCycle_WithANodeMissingALevelLabel_NeverPlacesConstrainedPodsThere()
    {
        // "loose" has room for everything but no rack label: it is outside the topology. Once a1 is full, the
        // constrained gangs wait; the unconstrained one (placed last) takes "loose".
        var cluster = Racks(("a1", "rack-a", 1))
            .With(A.Node("loose").Gpus(8).Label(Zone, "zone1"))
            .With(A.PodGroup("required").MinMember(2).Topology("cluster", required: Rack).Members(2, gpu: 1))
            .With(A.PodGroup("preferred").Topology("cluster", preferred: Rack).Members(1, gpu: 1))
            .With(A.PodGroup("unconstrained").Created(A.MinutesAgo(1)).Members(1, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(["preferred-0@a1", "unconstrained-0@loose"], result.Binds());
        Assert.Equal(
            "topology 'cluster': not enough free resources in zone1.rack-a for the 2 pods of pod group ns/required (room for 0)",
            Assert.Single(result.Explanations, e => e.Group == A.GroupKey("required")).Message);
    }

    [Fact]
    public void RunCycle_WhenPodsDoNotFitTheNodesOfAnyDomainWithRoom_TriesEachAndExplainsTheLast()
    {
        // Both racks have room in total, but every node of rack-a lacks the label the pods select, and rack-b's
        // nodes hold 1 GPU each: a 2-GPU pod fits nowhere.
        var cluster = Racks(("a1", "rack-a", 4), ("b1", "rack-b", 1), ("b2", "rack-b", 1), ("b3", "rack-b", 1), ("b4", "rack-b", 1))
            .With(A.PodGroup("train").MinMember(2).Topology("cluster", required: Rack).Members(2, gpu: 2, with: p => p.NodeSelector("pool", "b")));

        var result = cluster.Run();

        Assert.Empty(result.Decisions);
        var message = Assert.Single(result.Explanations).Message;
        Assert.StartsWith("the only domain of topology 'cluster' with room is zone1.rack-a; there, gang needs 2 more pods placed together", message, StringComparison.Ordinal);
        Assert.Contains("0/1 nodes of zone1.rack-a fit", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTheTopologyPluginIsNotConfigured_IgnoresTheConstraint()
    {
        var cluster = Racks(("a1", "rack-a", 3), ("b1", "rack-b", 3))
            .Configure(c => c with { Plugins = [new PluginEntry("predicates"), new PluginEntry("proportion"), new PluginEntry("nodeplacement")] })
            .With(A.PodGroup("train").MinMember(4).Topology("cluster", required: Rack).Members(4, gpu: 1));

        var result = cluster.Run();

        Assert.Equal(4, result.Binds().Length);
    }

    /// <summary>One zone with racks of single nodes: (node, rack, GPUs).</summary>
    private static Cluster Racks(params (string Node, string Rack, int Gpus)[] nodes) =>
        new Cluster().WithTopology("cluster", Zone, Rack).With([.. nodes.Select(n => Node(n.Node, "zone1", n.Rack, n.Gpus))]);

    private static NodeBuilder Node(string name, string zone, string rack, int gpus) =>
        A.Node(name).Gpus(gpus).Label(Zone, zone).Label(Rack, rack);
}
