using Kai.Scheduling.Model;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>
/// A pod group (gang) in queue "q" with minMember 1 and priority 50 (preemptible, as KAI resolves priority
/// below 100) unless told; <see cref="Members"/> and <see cref="Pod"/> add its pods.
/// </summary>
internal sealed class PodGroupBuilder(string name)
{
    private readonly List<PodBuilder> _pods = [];
    private readonly List<SubGroup> _subGroups = [];
    private string _namespace = A.Namespace;
    private string _queue = "q";
    private int _minMember = 1;
    private int _priority = PodGroup.DefaultPriority;
    private bool? _preemptible;
    private DateTimeOffset _created = A.MinutesAgo(30);
    private TopologyConstraint? _topology;

    public string Name { get; } = name;

    public PodGroupBuilder InNamespace(string @namespace)
    {
        _namespace = @namespace;
        return this;
    }

    public PodGroupBuilder InQueue(string queue)
    {
        _queue = queue;
        return this;
    }

    public PodGroupBuilder MinMember(int minMember)
    {
        _minMember = minMember;
        return this;
    }

    /// <summary>Priority; preemptible unless 100 or more (KAI's default), or as set by <see cref="Preemptible"/>.</summary>
    public PodGroupBuilder Priority(int priority)
    {
        _priority = priority;
        return this;
    }

    public PodGroupBuilder Preemptible(bool preemptible)
    {
        _preemptible = preemptible;
        return this;
    }

    public PodGroupBuilder Created(DateTimeOffset created)
    {
        _created = created;
        return this;
    }

    public PodGroupBuilder SubGroup(string name, int minMember, string? parent = null, TopologyConstraint? topology = null)
    {
        _subGroups.Add(new SubGroup(name, minMember, parent, topology));
        return this;
    }

    /// <summary>The group's topology constraint: all its pods in one domain of <paramref name="required"/>, packed at <paramref name="preferred"/>.</summary>
    public PodGroupBuilder Topology(string topology, string? required = null, string? preferred = null)
    {
        _topology = new TopologyConstraint(topology, required, preferred);
        return this;
    }

    /// <summary>
    /// Adds <paramref name="count"/> pods named <c>{group}-{i}</c> (numbering continues across calls), each
    /// requesting <paramref name="gpu"/> GPUs, <paramref name="cpu"/> and <paramref name="memory"/>; created a
    /// second apart in name order so pod order is name order.
    /// </summary>
    public PodGroupBuilder Members(int count, double gpu = 0, string cpu = "0", string memory = "0", Func<PodBuilder, PodBuilder>? with = null)
    {
        for (var i = 0; i < count; i++)
        {
            var index = _pods.Count;
            var pod = A.Pod($"{Name}-{index}").Gpu(gpu).Cpu(cpu).Memory(memory).Created(_created.AddSeconds(index));
            _pods.Add(with is null ? pod : with(pod));
        }

        return this;
    }

    /// <summary>Adds one pod with its own settings.</summary>
    public PodGroupBuilder Pod(string podName, Func<PodBuilder, PodBuilder> configure)
    {
        _pods.Add(configure(A.Pod(podName).Created(_created.AddSeconds(_pods.Count))));
        return this;
    }

    public PodGroup Build() => new()
    {
        Namespace = _namespace,
        Name = Name,
        Uid = $"uid-{_namespace}-{Name}",
        QueueName = _queue,
        Priority = _priority,
        Preemptible = _preemptible ?? _priority < PodGroup.NonPreemptiblePriority,
        MinMember = _minMember,
        SubGroups = [.. _subGroups],
        CreationTimestamp = _created,
        Topology = _topology,
    };

    public IEnumerable<Pod> BuildPods() => _pods.Select(p => p.InNamespace(_namespace).InGroup(Name).Build());
}
