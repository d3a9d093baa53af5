using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Plugins.Topology;

/// <summary>
/// KAI's topology plugin: the node sets a pod group or sub-group with a topology constraint may use, and the
/// scores that pack its pods at the preferred level.
/// </summary>
/// <remarks>
/// For the pods to place, within the enclosing node set: the lowest domain holding every node of the set (not
/// below the preferred level, nor below the required one) must have room for them all — counted in copies of
/// the largest pod when the pods are alike, else by the share of free capacity they take. Below it, each
/// domain's children are sorted fullest first (largest share of their free capacity the pods would take, then
/// id) down to the preferred (else required) level. The candidates are the domains with room from the preferred
/// level up to the required level (or the top), lowest level first and in sorted order within a level; with
/// pods already running and a required level, only domains inside the required-level domains that hold them.
/// Each candidate is one node set. With a preferred level, the i-th of the n preferred-level domains in sorted
/// order scores floor((i+1)/n·10)·10,000 for its nodes: the emptier domains score higher, so pods gather there.
/// </remarks>
internal sealed class TopologyPlugin : INodeSetPlugin
{
    public const string PluginName = "topology";

    /// <summary>KAI's topology score unit: the preferred-level scores are multiples of it, above every other plugin's.</summary>
    public const double ScoreUnit = 10_000;

    // A plugin instance lives for one session (one thread): the books are reused by every call.
    private readonly Dictionary<TopologyDomains, DomainBooks> _books = [];

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, _ => new TopologyPlugin());

    public NodeSetChoice ChooseNodeSets(ISessionView session, in NodeSetRequest request)
    {
        var snapshot = session.Snapshot;
        var constraint = request.PodSet >= 0 ? snapshot.PodSetsOf(request.Group)[request.PodSet].Topology : request.SubGroup.Topology;
        if (constraint is null || request.Pods.Count == 0)
        {
            return NodeSetChoice.Unconstrained(request.Within);
        }

        var who = new Constrained(snapshot.Groups[request.Group], request.PodSet >= 0 ? snapshot.PodSetsOf(request.Group)[request.PodSet].Name : request.SubGroup.Name, constraint);
        if (snapshot.FindTopology(constraint.Topology) is not { } topology)
        {
            return Fail(TopologyMessages.UnknownTopology(who, snapshot.Topologies));
        }

        var (required, preferred, error) = Levels(topology, constraint, who);
        if (error is not null)
        {
            return Fail(error);
        }

        var pods = PodsShape.Of([.. request.Pods.Select(session.RequestOf)]);
        var top = CommonDomain(topology, request.Within, preferred, required);
        if (top < 0)
        {
            return Fail(TopologyMessages.NoNodeInTopology(who, topology, request.Within));
        }

        var books = BooksOf(topology);
        books.Count(session, top, request.Within, pods);
        if (!books.Fits(pods, top))
        {
            return Fail(TopologyMessages.NoRoomAtAll(who, books, top, pods));
        }

        var byLevel = SortedLevels(books, top, preferred > 0 ? preferred : required);
        var pinned = required > 0 ? PinnedDomains(session, topology, request, required) : null;
        var sets = FittingDomains(books, byLevel, top, required, preferred, pods, pinned, request.Within);
        var highest = required > 0 ? required : 0;
        if (sets.Count == 0)
        {
            var level = Math.Max(highest, topology.LevelOfDomain(top));
            return Fail(TopologyMessages.NoRoomInLevel(who, books, byLevel[level - topology.LevelOfDomain(top)], level, pods, pinned));
        }

        var preference = preferred > 0 ? Preference(topology, top, byLevel[preferred - topology.LevelOfDomain(top)], preferred) : null;
        return NodeSetChoice.Of(sets, preference, $"domain of topology '{topology.Name}'");
    }

    private DomainBooks BooksOf(TopologyDomains topology)
    {
        if (!_books.TryGetValue(topology, out var books))
        {
            _books[topology] = books = new DomainBooks(topology);
        }

        return books;
    }

    /// <summary>
    /// The node sets to try, best first: from the preferred (else required) level up to the required level (else the
    /// top domain), the domains with room in sorted order, only those inside a pinned required-level domain.
    /// </summary>
    private static List<NodeSet> FittingDomains(DomainBooks books, List<int>[] byLevel, int top, int required, int preferred, in PodsShape pods, HashSet<int>? pinned, NodeSet within)
    {
        var topology = books.Topology;
        var sets = new List<NodeSet>();
        var lowest = preferred > 0 ? preferred : required;
        var highest = required > 0 ? required : 0;
        for (var level = lowest; level >= Math.Max(highest, topology.LevelOfDomain(top)); level--)
        {
            foreach (var domain in byLevel[level - topology.LevelOfDomain(top)])
            {
                if (books.Fits(pods, domain) && (pinned is null || pinned.Contains(topology.AncestorAt(domain, required))))
                {
                    sets.Add(topology.NodesOf(domain, within));
                }
            }
        }

        return sets;
    }

    private NodeSetChoice Fail(string reason) => NodeSetChoice.None(PluginStatus.Unschedulable(reason, Name));

    /// <summary>The required and preferred levels (0 when not given), or why they are wrong.</summary>
    private static (int Required, int Preferred, string? Error) Levels(TopologyDomains topology, TopologyConstraint constraint, in Constrained who)
    {
        if (constraint.RequiredLevel is null && constraint.PreferredLevel is null)
        {
            return (0, 0, TopologyMessages.NoLevel(who));
        }

        var required = constraint.RequiredLevel is { } r ? topology.LevelOf(r) : 0;
        var preferred = constraint.PreferredLevel is { } p ? topology.LevelOf(p) : 0;
        if (required < 0)
        {
            return (0, 0, TopologyMessages.UnknownLevel(who, topology, "required", constraint.RequiredLevel!));
        }

        if (preferred < 0)
        {
            return (0, 0, TopologyMessages.UnknownLevel(who, topology, "preferred", constraint.PreferredLevel!));
        }

        // KAI reads the levels bottom-up and stops at the required one, so a preferred level above it is never found.
        if (required > 0 && preferred > 0 && preferred < required)
        {
            return (0, 0, TopologyMessages.PreferredAboveRequired(who, topology));
        }

        return (required, preferred, null);
    }

    /// <summary>
    /// The lowest domain holding every node of <paramref name="within"/> that is in the topology — not below the
    /// preferred level (KAI looks no lower) nor below the required one (its domains must be counted) — or -1 when
    /// no node of the set is in the topology.
    /// </summary>
    private static int CommonDomain(TopologyDomains topology, NodeSet within, int preferred, int required)
    {
        var stop = topology.LevelCount;
        if (preferred > 0)
        {
            stop = Math.Min(stop, preferred);
        }

        if (required > 0)
        {
            stop = Math.Min(stop, required);
        }

        if (within.IsAll)
        {
            // Every node of the topology: the root, or lower while there is a single child.
            if (topology.NodeOrder.IsEmpty)
            {
                return -1;
            }

            var top = TopologyDomains.Root;
            while (topology.LevelOfDomain(top) < stop && topology.Children(top).Length == 1)
            {
                top = topology.Children(top)[0];
            }

            return top;
        }

        var domain = -1;
        foreach (var node in within.Nodes())
        {
            var leaf = topology.DomainOf(node, stop);
            if (leaf < 0)
            {
                continue;
            }

            // The common ancestor of what was seen and this node's domain at the stop level.
            domain = domain < 0 ? leaf : CommonAncestor(topology, domain, leaf);
            if (domain == TopologyDomains.Root)
            {
                break;
            }
        }

        return domain;
    }

    private static int CommonAncestor(TopologyDomains topology, int a, int b)
    {
        while (topology.LevelOfDomain(a) > topology.LevelOfDomain(b))
        {
            a = topology.Parent(a);
        }

        while (topology.LevelOfDomain(b) > topology.LevelOfDomain(a))
        {
            b = topology.Parent(b);
        }

        while (a != b)
        {
            a = topology.Parent(a);
            b = topology.Parent(b);
        }

        return a;
    }

    /// <summary>
    /// The domains of each level from <paramref name="top"/>'s down to <paramref name="deepest"/>, in sorted order: a
    /// level's domains follow their parents' order, and each parent's children go fullest first (the largest share
    /// of their free capacity the pods would take), then by id.
    /// </summary>
    private static List<int>[] SortedLevels(DomainBooks books, int top, int deepest)
    {
        var topology = books.Topology;
        var first = topology.LevelOfDomain(top);
        var levels = new List<int>[deepest - first + 1];
        levels[0] = [top];
        for (var l = 1; l < levels.Length; l++)
        {
            levels[l] = [];
            foreach (var parent in levels[l - 1])
            {
                var start = levels[l].Count;
                foreach (var child in topology.Children(parent))
                {
                    levels[l].Add(child);
                }

                // Children come sorted by id; a stable sort by share keeps that order among equals.
                var children = levels[l].GetRange(start, levels[l].Count - start);
                var sorted = children.OrderByDescending(books.Ratio).ToList();
                levels[l].RemoveRange(start, sorted.Count);
                levels[l].AddRange(sorted);
            }
        }

        return levels;
    }

    /// <summary>The required-level domains that hold running (or already placed) pods of the sub-group, or null when none does.</summary>
    private static HashSet<int>? PinnedDomains(ISessionView session, TopologyDomains topology, in NodeSetRequest request, int required)
    {
        var podSets = request.PodSet >= 0 ? [request.PodSet] : request.SubGroup.AllPodSets;
        var sets = session.Snapshot.PodSetsOf(request.Group);
        HashSet<int>? pinned = null;
        foreach (var s in podSets)
        {
            foreach (var pod in sets[s].Members)
            {
                var node = session.NodeOf(pod);
                if (node >= 0 && session.StatusOf(pod).IsActiveAllocated())
                {
                    pinned ??= [];
                    var domain = topology.DomainOf(node, required);
                    if (domain >= 0)
                    {
                        pinned.Add(domain);
                    }
                }
            }
        }

        return pinned;
    }

    /// <summary>KAI's preferred-level scores: the i-th of the n domains in sorted order scores floor((i+1)/n·10)·10,000.</summary>
    private static NodePreference Preference(TopologyDomains topology, int top, List<int> preferredDomains, int preferred)
    {
        var first = top;
        var scores = new double[topology.SubtreeEnd(top) - first];
        var n = preferredDomains.Count;
        for (var i = 0; i < n; i++)
        {
            scores[preferredDomains[i] - first] = Math.Floor((double)(i + 1) / n * 10) * ScoreUnit;
        }

        return new NodePreference(topology.DomainsOfNodesAt(preferred), first, scores);
    }
}

/// <summary>Who a topology constraint belongs to, for explanations.</summary>
internal readonly record struct Constrained(PodGroup Group, string SubGroup, TopologyConstraint Constraint)
{
    public override string ToString() =>
        SubGroup.Length == 0 || SubGroup == SnapshotBuilder.DefaultPodSetName ? $"pod group {Group.Key}" : $"sub-group {SubGroup} of pod group {Group.Key}";
}
