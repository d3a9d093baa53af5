namespace Kai.Scheduling.Model;

/// <summary>One required node-affinity term: all its requirements must hold (they are ANDed).</summary>
public sealed record NodeSelectorTerm(IReadOnlyList<NodeSelectorRequirement> MatchExpressions, IReadOnlyList<NodeSelectorRequirement> MatchFields)
{
    public bool Matches(Node node)
    {
        // An empty term matches nothing, as in Kubernetes.
        if (MatchExpressions.Count == 0 && MatchFields.Count == 0)
        {
            return false;
        }

        foreach (var requirement in MatchExpressions)
        {
            if (!requirement.Matches(node.Labels.TryGetValue(requirement.Key, out var value) ? value : null))
            {
                return false;
            }
        }

        foreach (var requirement in MatchFields)
        {
            // Kubernetes supports only metadata.name as a node field selector.
            var value = requirement.Key == "metadata.name" ? node.Name : null;
            if (!requirement.Matches(value))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        string.Join(',', MatchExpressions.Select(e => e.ToString())) + ";" + string.Join(',', MatchFields.Select(e => e.ToString()));
}

public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

public sealed record NodeSelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    /// <param name="value">The node's label value, or null if the label is absent.</param>
    public bool Matches(string? value) => Operator switch
    {
        SelectorOperator.In => value is not null && Values.Contains(value),
        SelectorOperator.NotIn => value is null || !Values.Contains(value),
        SelectorOperator.Exists => value is not null,
        SelectorOperator.DoesNotExist => value is null,
        SelectorOperator.Gt => value is not null && long.TryParse(value, out var v) && Values.Count == 1 && long.TryParse(Values[0], out var bound) && v > bound,
        SelectorOperator.Lt => value is not null && long.TryParse(value, out var w) && Values.Count == 1 && long.TryParse(Values[0], out var limit) && w < limit,
        _ => false,
    };

    public override string ToString() => $"{Key} {Operator} ({string.Join(',', Values)})";
}
