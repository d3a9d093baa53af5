using System.Globalization;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a PriorityClass, as the API server judges it: a value above 1,000,000,000 and names starting with
/// <c>system-</c> are reserved for Kubernetes' own classes (errors). A missing <c>value</c> is stored as 0 by the API
/// server, so it is only a warning.
/// </summary>
internal static class PriorityClassRules
{
    /// <summary>The highest value a user-defined class may have (Kubernetes' HighestUserDefinablePriority).</summary>
    public const long HighestUserDefinable = 1_000_000_000;

    public static void ValidateRaw(ValidationContext context)
    {
        var name = YamlNodes.ScalarText(context.Root.GetMapping("metadata")?.Get("name")) ?? string.Empty;
        var valueText = YamlNodes.ScalarText(context.Root.Get("value"));
        if (name.StartsWith(SystemPriorityClasses.Prefix, StringComparison.Ordinal))
        {
            if (!SystemPriorityClasses.Values.ContainsKey(name))
            {
                context.Error(
                    $"PriorityClass names starting with \"{SystemPriorityClasses.Prefix}\" are reserved for Kubernetes (only {string.Join(" and ", SystemPriorityClasses.Values.Keys)} exist); choose another name",
                    "metadata", "name");
            }

            return;
        }

        if (valueText is null)
        {
            context.Warning(
                "value is missing, so the API server stores 0; give the class an integer value, e.g. value: 100 " +
                "(KAI's classes: train 50, build-preemptible 75, build 100, inference 125)",
                "value");
        }
        else if (long.TryParse(valueText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value > HighestUserDefinable)
        {
            context.Error(
                $"value is {value}; the API server allows at most {HighestUserDefinable} for a user-defined PriorityClass (larger values are reserved for system classes)",
                "value");
        }
    }
}
