using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>Matching of structured label selectors (<c>matchLabels</c> and <c>matchExpressions</c>), as the API server does.</summary>
public static class LabelSelectors
{
    /// <summary>
    /// True when <paramref name="labels"/> satisfy every requirement of <paramref name="selector"/>. A null selector
    /// matches nothing and an empty one everything, as for a PodDisruptionBudget.
    /// </summary>
    /// <exception cref="ArgumentException">An operator other than In, NotIn, Exists and DoesNotExist.</exception>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var present = labels is not null && labels.TryGetValue(expression.Key, out _);
            var value = present ? labels![expression.Key] : null;
            var values = expression.Values ?? [];
            var matches = expression.OperatorProperty switch
            {
                "In" => present && values.Contains(value!),
                "NotIn" => !present || !values.Contains(value!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => throw new ArgumentException($"\"{expression.OperatorProperty}\" is not a valid label selector operator", nameof(selector)),
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }
}
