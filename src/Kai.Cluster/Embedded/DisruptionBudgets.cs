using System.Globalization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

/// <summary>
/// What the Eviction API decides for a pod: whether the PodDisruptionBudget selecting it allows one more
/// disruption, computed as the disruption controller would (healthy pods minus the desired healthy count), and the
/// budget status that records the disruption. Pure: the caller reads the pods and budgets and writes the status.
/// </summary>
internal static class DisruptionBudgets
{
    /// <summary>Pods that are not running (yet or any more) disrupt nothing, so their eviction ignores budgets.</summary>
    public static bool IgnoresBudgets(V1Pod pod) => pod.Status?.Phase is "Pending" or "Succeeded" or "Failed" or null;

    /// <summary>True when <paramref name="budget"/> (in the pod's namespace, with a non-empty selector) selects <paramref name="pod"/>.</summary>
    public static bool Selects(V1PodDisruptionBudget budget, V1Pod pod) =>
        budget.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty
        && budget.Spec?.Selector is { } selector
        && (selector.MatchLabels is { Count: > 0 } || selector.MatchExpressions is { Count: > 0 })
        && LabelSelectors.Matches(selector, pod.Metadata.Labels);

    /// <summary>
    /// The budget's status after evicting <paramref name="pod"/>, given every pod of its namespace.
    /// </summary>
    /// <exception cref="ClusterException"><see cref="ClusterErrorReason.TooManyRequests"/> when the budget allows no disruption now.</exception>
    public static V1PodDisruptionBudgetStatus TakeDisruption(V1PodDisruptionBudget budget, V1Pod pod, IEnumerable<V1Pod> pods, DateTime now)
    {
        var selected = pods
            .Where(p => p.Metadata.DeletionTimestamp is null && Selects(budget, p) && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .ToList();
        var expected = selected.Count;
        var healthy = selected.Count(IsHealthy);
        var desired = DesiredHealthy(budget.Spec, expected);
        var allowed = Math.Max(0, healthy - desired);
        var podIsHealthy = IsHealthy(pod);

        // An unhealthy pod may go whenever the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget).
        if (allowed <= 0 && !(!podIsHealthy && healthy >= desired))
        {
            throw new ClusterException(
                ClusterErrorReason.TooManyRequests,
                $"Cannot evict pod as it would violate the pod's disruption budget. The disruption budget {budget.Metadata.Name} needs {desired} healthy pods and has {healthy} currently");
        }

        var disrupted = new Dictionary<string, DateTime?>(budget.Status?.DisruptedPods ?? new Dictionary<string, DateTime?>())
        {
            [pod.Metadata.Name] = now,
        };
        return new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = podIsHealthy ? Math.Max(0, allowed - 1) : allowed,
            DisruptedPods = disrupted,
            ObservedGeneration = budget.Metadata.Generation,
            Conditions = budget.Status?.Conditions,
        };
    }

    private static bool IsHealthy(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    // minAvailable (a count or a percentage of the expected pods, rounded up) or expected − maxUnavailable; one
    // available pod when neither is set, as the API server defaults a budget.
    private static int DesiredHealthy(V1PodDisruptionBudgetSpec? spec, int expected)
    {
        if (spec?.MaxUnavailable is { } maxUnavailable)
        {
            return Math.Max(0, expected - Scaled(maxUnavailable, expected));
        }

        return spec?.MinAvailable is { } minAvailable ? Scaled(minAvailable, expected) : 1;
    }

    private static int Scaled(IntOrString value, int total)
    {
        var text = value.Value ?? "0";
        if (text.EndsWith('%'))
        {
            var percent = int.Parse(text[..^1], CultureInfo.InvariantCulture);
            return (int)Math.Ceiling(total * percent / 100.0);
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }
}
