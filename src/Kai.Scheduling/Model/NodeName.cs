namespace Kai.Scheduling.Model;

/// <summary>The identity of a node across the engine and the edge: nodes are cluster-scoped, so their name.</summary>
public readonly record struct NodeName(string Value)
{
    public override string ToString() => Value;
}
