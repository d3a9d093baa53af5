using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>
/// A test cluster: collects builders, turns them into a <see cref="ClusterState"/>, links it with
/// <see cref="SnapshotBuilder"/>, and runs the engine over it (a whole cycle, or an open session).
/// A queue named "q" exists unless <see cref="WithoutDefaultQueue"/> is called.
/// </summary>
internal sealed class Cluster
{
    private readonly List<NodeBuilder> _nodes = [];
    private readonly List<QueueBuilder> _queues = [];
    private readonly List<PodGroupBuilder> _groups = [];
    private readonly List<PodBuilder> _pods = [];
    private readonly List<Topology> _topologies = [];
    private bool _defaultQueue = true;

    public SchedulerConfiguration Configuration { get; private set; } = SchedulerConfiguration.Default;

    public Cluster With(params NodeBuilder[] nodes)
    {
        _nodes.AddRange(nodes);
        return this;
    }

    public Cluster With(params QueueBuilder[] queues)
    {
        _queues.AddRange(queues);
        return this;
    }

    public Cluster With(params PodGroupBuilder[] groups)
    {
        _groups.AddRange(groups);
        return this;
    }

    /// <summary>Pods outside any builder-made group (e.g. of another scheduler, or naming a missing group).</summary>
    public Cluster With(params PodBuilder[] pods)
    {
        _pods.AddRange(pods);
        return this;
    }

    /// <summary>A KAI Topology: node-label levels, top first.</summary>
    public Cluster WithTopology(string name, params string[] levels)
    {
        _topologies.Add(new Topology { Name = name, Levels = levels });
        return this;
    }

    public Cluster WithoutDefaultQueue()
    {
        _defaultQueue = false;
        return this;
    }

    public Cluster Configure(Func<SchedulerConfiguration, SchedulerConfiguration> change)
    {
        Configuration = change(Configuration);
        return this;
    }

    public Cluster Placement(PlacementStrategy gpu, PlacementStrategy cpu) =>
        Configure(c => c.WithPlacement(new NodePlacementOptions { Gpu = gpu, Cpu = cpu }));

    public ClusterState State()
    {
        var queues = _queues.Select(q => q.Build()).ToList();
        if (_defaultQueue && !queues.Exists(q => q.Name == "q"))
        {
            queues.Add(A.Queue("q").Build());
        }

        return new ClusterState(
            [.. _nodes.Select(n => n.Build())],
            [.. _groups.SelectMany(g => g.BuildPods()), .. _pods.Select(p => p.Build())],
            [.. _groups.Select(g => g.Build())],
            queues,
            A.Now,
            new ResourceCatalog())
        {
            Topologies = [.. _topologies],
        };
    }

    public ClusterSnapshot Snapshot() => SnapshotBuilder.Build(State());

    public Session Open() => new SchedulingEngine(Configuration, KaiPlugins.Registry).OpenSession(Snapshot());

    public CycleResult Run() => new SchedulingEngine(Configuration, KaiPlugins.Registry).RunCycle(Snapshot());
}
