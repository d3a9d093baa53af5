using System.Text;
using CsCheck;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots.Topologies;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Invariants of topology-aware placement over random zone/rack clusters, partly filled by preemptible work, where
/// gangs of random size, priority and constraint (required rack or zone, preferred rack, sub-groups each in a rack
/// of one zone) go through a whole cycle of every action: whatever each pod group holds afterwards lies inside one
/// domain of each of its required levels, and no constrained pod is on a node outside the topology.
/// </summary>
public sealed class TopologyPropertyTests
{
    private const int Iterations = 200;
    private const string Topology = "dc";
    private const string Zone = "example.com/zone";
    private const string Rack = "example.com/rack";

    [Fact]
    public void RunCycle_OnRandomTopologies_NeverSpreadsARequiredLevelGangOverTwoDomains()
    {
        Gen.Int[0, int.MaxValue].Sample(
            seed =>
            {
                var (cluster, description) = World(seed);
                var snapshot = cluster.Snapshot();
                var result = new SchedulingEngine(cluster.Configuration, Plugins.KaiPlugins.Registry).RunCycle(snapshot);
                var final = FinalState.After(snapshot, result);
                var topology = snapshot.FindTopology(Topology)!;

                for (var g = 0; g < snapshot.Groups.Count; g++)
                {
                    var group = snapshot.Groups[g];
                    var held = snapshot.MembersOf(g).Where(p => final.Node[p] >= 0 && (final.Status[p].IsActiveAllocated() || final.Status[p] == PodStatus.Pipelined)).ToList();
                    if (group.Topology is { } constraint)
                    {
                        AssertInTopology(topology, final, held, group.Name, description);
                        AssertOneDomain(topology, constraint.RequiredLevel, final, held, group.Name, description);
                    }

                    foreach (var set in snapshot.PodSetsOf(g).Where(s => s.Topology is not null))
                    {
                        var inSet = held.Where(set.Members.Contains).ToList();
                        AssertInTopology(topology, final, inSet, $"{group.Name}/{set.Name}", description);
                        AssertOneDomain(topology, set.Topology!.RequiredLevel, final, inSet, $"{group.Name}/{set.Name}", description);
                    }
                }
            },
            iter: Iterations);
    }

    private static void AssertInTopology(TopologyDomains topology, FinalState final, List<int> pods, string who, string world)
    {
        foreach (var pod in pods)
        {
            Assert.True(topology.DomainOf(final.Node[pod], topology.LevelCount) >= 0, $"{who}: pod {final.Snapshot.Pods[pod].Name} is on node {final.Snapshot.Nodes[final.Node[pod]].Name}, outside the topology\n{world}");
        }
    }

    private static void AssertOneDomain(TopologyDomains topology, string? level, FinalState final, List<int> pods, string who, string world)
    {
        if (level is null)
        {
            return;
        }

        var domains = pods.Select(p => topology.Id(topology.DomainOf(final.Node[p], topology.LevelOf(level)))).Distinct().ToList();
        Assert.True(domains.Count <= 1, $"{who}: required {level} but holds pods in {string.Join(", ", domains)}\n{world}");
    }

    /// <summary>A random cluster: zones of racks of nodes (a few without a rack label), fillers running, constrained gangs pending.</summary>
    private static (Cluster Cluster, string Description) World(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder($"seed {seed}\n");
        var cluster = new Cluster().WithTopology(Topology, Zone, Rack)
            .With(A.Queue("low").Gpu(quota: 4), A.Queue("high").Gpu(quota: 12));
        var nodes = new List<(string Name, int Gpus)>();
        for (var z = 0; z < random.Next(1, 4); z++)
        {
            for (var r = 0; r < random.Next(1, 4); r++)
            {
                for (var n = 0; n < random.Next(1, 4); n++)
                {
                    var name = $"z{z}-r{r}-n{n}";
                    var gpus = random.Next(0, 9);
                    var node = A.Node(name).Gpus(gpus).Label(Zone, $"zone-{z}");
                    var outside = random.Next(8) == 0;
                    cluster.With(outside ? node : node.Label(Rack, $"rack-{r}"));
                    nodes.Add((name, gpus));
                    text.Append($"node {name}: {gpus} GPUs{(outside ? ", no rack label" : string.Empty)}\n");
                }
            }
        }

        // Preemptible fillers, one pod each on part of the nodes.
        foreach (var (name, gpus) in nodes.Where(n => n.Gpus > 0 && random.Next(2) == 0))
        {
            var used = random.Next(1, gpus + 1);
            cluster.With(A.PodGroup($"filler-{name}").InQueue("low").Created(A.MinutesAgo(120)).Members(1, gpu: used, with: p => p.Running(name)));
            text.Append($"filler on {name}: {used} GPUs\n");
        }

        for (var g = 0; g < random.Next(1, 5); g++)
        {
            var name = $"gang-{g}";
            var pods = random.Next(1, 7);
            var gpu = random.Next(1, 4);
            var priority = new[] { 50, 100, 125 }[random.Next(3)];
            var group = A.PodGroup(name).InQueue(random.Next(2) == 0 ? "high" : "low").Priority(priority).Created(A.MinutesAgo(60 - g));
            var kind = random.Next(5);
            switch (kind)
            {
                case 0: group.Topology(Topology, required: Rack); break;
                case 1: group.Topology(Topology, required: Zone); break;
                case 2: group.Topology(Topology, required: Zone, preferred: Rack); break;
                case 3: group.Topology(Topology, preferred: Rack); break;
                default:
                    group.Topology(Topology, required: Zone)
                        .SubGroup("a", 1, topology: new TopologyConstraint(Topology, RequiredLevel: Rack))
                        .SubGroup("b", 1, topology: new TopologyConstraint(Topology, RequiredLevel: Rack));
                    break;
            }

            if (kind == 4)
            {
                var inA = Math.Max(1, pods / 2);
                group.Members(inA, gpu: gpu, with: p => p.InSubGroup("a")).Members(Math.Max(1, pods - inA), gpu: gpu, with: p => p.InSubGroup("b"));
            }
            else
            {
                group.MinMember(random.Next(1, pods + 1)).Members(pods, gpu: gpu);
            }

            cluster.With(group);
            text.Append($"{name}: {pods} x {gpu} GPUs, priority {priority}, constraint kind {kind}\n");
        }

        return (cluster, text.ToString());
    }
}
