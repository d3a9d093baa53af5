namespace Kai.Scheduling.Model;

/// <summary>The identity of a queue across the engine and the edge: queues are cluster-scoped, so their name.</summary>
public readonly record struct QueueKey(string Name)
{
    public override string ToString() => Name;
}
