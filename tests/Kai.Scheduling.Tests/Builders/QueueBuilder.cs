using Kai.Scheduling.Model;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>A top-level queue, open (quota -1, weight 1, limit -1) in every resource unless told.</summary>
internal sealed class QueueBuilder(string name)
{
    private string? _parent;
    private int _priority = Queue.DefaultPriority;
    private DateTimeOffset _created = A.MinutesAgo(60);
    private QueueResourceSettings _cpu = QueueResourceSettings.Open;
    private QueueResourceSettings _memory = QueueResourceSettings.Open;
    private QueueResourceSettings _gpu = QueueResourceSettings.Open;

    public string Name { get; } = name;

    public QueueBuilder Parent(string parent)
    {
        _parent = parent;
        return this;
    }

    public QueueBuilder Priority(int priority)
    {
        _priority = priority;
        return this;
    }

    public QueueBuilder Created(DateTimeOffset created)
    {
        _created = created;
        return this;
    }

    /// <summary>GPU settings in whole GPUs; -1 means unlimited.</summary>
    public QueueBuilder Gpu(double quota = -1, double limit = -1, double weight = 1)
    {
        _gpu = new QueueResourceSettings(Quantity.MilliGpu(quota), weight, Quantity.MilliGpu(limit));
        return this;
    }

    /// <summary>CPU settings as quantities ("4", "500m") or "-1" for unlimited.</summary>
    public QueueBuilder Cpu(string quota = "-1", string limit = "-1", double weight = 1)
    {
        _cpu = new QueueResourceSettings(Cores(quota), weight, Cores(limit));
        return this;
    }

    /// <summary>KAI's queue without <c>spec.resources</c>: quota, weight and limit 0 everywhere.</summary>
    public QueueBuilder WithoutResources()
    {
        _cpu = _memory = _gpu = QueueResourceSettings.Blocked;
        return this;
    }

    public Queue Build() => new()
    {
        Name = Name,
        ParentName = _parent,
        Priority = _priority,
        CreationTimestamp = _created,
        Cpu = _cpu,
        Memory = _memory,
        Gpu = _gpu,
    };

    private static long Cores(string quantity) => quantity == "-1" ? -1 : Quantity.MilliCpu(quantity);
}
