using Kai.Cluster.Quantities;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks a raw resource map (requests, limits, overhead, capacity) before deserialisation: KubernetesClient
/// throws on a malformed quantity without saying where, and it accepts negative amounts and amounts beyond what the
/// scheduler accounts exactly (<see cref="AmountLimits"/>).
/// </summary>
internal static class ResourceListRules
{
    /// <param name="context">Where to report.</param>
    /// <param name="path">Path of the map from the object's root.</param>
    /// <param name="owner">Who holds the map, e.g. "container \"main\"", or null when the path says it all.</param>
    /// <param name="shownPath">How the map's path is shown after the owner, e.g. ("resources", "requests").</param>
    public static void Check(ValidationContext context, object[] path, string? owner, params object[] shownPath)
    {
        var node = YamlNodes.At(context.Root, path);
        if (node is null || (node is YamlScalarNode && YamlNodes.ScalarText(node) is null))
        {
            return;
        }

        var prefix = owner is null ? string.Empty : owner + " ";
        if (node is not YamlMappingNode map)
        {
            context.Error(
                $"{prefix}{YamlNodes.FormatPath(shownPath)} must map resource names to quantities, e.g. {{cpu: 500m, memory: 1Gi}}; found {YamlNodes.Describe(node)}",
                path);
            return;
        }

        foreach (var entry in map.Children)
        {
            var name = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
            object[] entryPath = [.. path, name];
            var shown = YamlNodes.FormatPath([.. shownPath, name]);
            if (entry.Value is not YamlScalarNode scalar)
            {
                context.Error($"{prefix}{shown} must be a quantity such as 500m, 2 or 1Gi; found {YamlNodes.Describe(entry.Value)}", entryPath);
                continue;
            }

            var text = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? YamlNodes.ScalarText(scalar) : scalar.Value;
            if (!QuantityValidation.TryParseNonNegative(text, out var value, out var error))
            {
                context.Error($"{prefix}{shown}: {error}", entryPath);
            }
            else if (value > AmountLimits.MaxQuantity(name))
            {
                context.Error(
                    $"{prefix}{shown}: \"{text}\" is beyond the largest amount the scheduler accounts, {AmountLimits.MaxQuantity(name)} " +
                    $"(2^53 {(AmountLimits.IsCountedInThousandths(name) ? "thousandths" : "units")}); no real machine has that much, so it is rejected rather than capped",
                    entryPath);
            }
        }
    }
}
