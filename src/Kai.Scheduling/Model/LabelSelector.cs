using System.Collections.Frozen;

namespace Kai.Scheduling.Model;

/// <summary>
/// A Kubernetes label selector: every <see cref="MatchLabels"/> pair and every requirement must hold (ANDed).
/// An empty selector matches every label set; a term without a selector is represented by null and matches none.
/// </summary>
public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelSelectorRequirement> MatchExpressions)
{
    /// <summary>The empty selector: matches everything.</summary>
    public static LabelSelector Everything { get; } = new(FrozenDictionary<string, string>.Empty, []);

    public bool IsEmpty => MatchLabels.Count == 0 && MatchExpressions.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            if (!requirement.Matches(labels.TryGetValue(requirement.Key, out var actual) ? actual : null))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        string.Join(',', MatchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")
            .Concat(MatchExpressions.Select(e => e.ToString())));
}

/// <summary>One requirement of a label selector: In, NotIn, Exists or DoesNotExist.</summary>
public sealed record LabelSelectorRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    /// <param name="value">The label's value, or null if the label is absent.</param>
    public bool Matches(string? value) => Operator switch
    {
        SelectorOperator.In => value is not null && Values.Contains(value),
        SelectorOperator.NotIn => value is null || !Values.Contains(value),
        SelectorOperator.Exists => value is not null,
        SelectorOperator.DoesNotExist => value is null,
        _ => false,
    };

    public override string ToString() => $"{Key} {Operator} ({string.Join(',', Values)})";
}
